export { Endorser } from './endorser';
export { ProposalError } from './proposalerror';
export { validateProposal } from './msgvalidation';
export { checkProposeACL, PEER_PROPOSE, DEFAULT_PROPOSE_POLICY } from './acl';
export { aclPolicyFor } from '../aclmgmt';
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
