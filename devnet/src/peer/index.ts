/** devnet's peer (fabric core/peer): the joined channel and the peer's Endorser and Deliver services. */
export { Channel } from './channel';
export type { ChannelOptions, ChaincodeDefinition, TxStatus, CommitListener } from './channel';
export { registerEndorserService } from './endorserservice';
export type { ProposalProcessor } from './endorserservice';
export {
  registerDeliverService,
  deliverSupport,
  aclPolicyRef,
  PEER_DELIVER_READERS_POLICY,
} from './deliverservice';
export type { DeliverAclResource } from './deliverservice';
export { blockPrivateDataSource } from './deliverpvtdata';
export type { BlockPrivateDataSources } from './deliverpvtdata';
