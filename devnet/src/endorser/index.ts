export { Endorser } from './endorser';
export { ProposalError } from './proposalerror';
export { validateProposal } from './msgvalidation';
export { checkProposeACL, aclPolicyFor, PEER_PROPOSE, DEFAULT_PROPOSE_POLICY } from './acl';
export type {
  EndorserDeps,
  EndorserChannel,
  EndorserBundle,
  EndorserIdentity,
  EndorserSignedData,
  EndorserSigner,
  ChaincodeExecutor,
  ProcessProposalOptions,
} from './deps';
