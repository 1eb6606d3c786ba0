/**
 * devnet's committer (fabric core/committer, core/deliverservice, common/deliverclient): pulls blocks from
 * the orderer, verifies them, validates and commits them to the ledger, and notifies the channel.
 */
export { LedgerCommitter } from './committer';
export type { CommittedBlock, LedgerCommitterOptions } from './committer';
export { DeliverClient, seekInfoBlocksFrom } from './deliverclient';
export type { DeliverClientOptions } from './deliverclient';
export {
  BlockVerifier,
  BlockVerificationError,
  BLOCK_VALIDATION_POLICY,
  transactionsWellFormedError,
} from './blockverifier';
export {
  computeCommitHash,
  updateBatchBytes,
  commitHashMetadata,
  commitHashOf,
  encodeOrderPreservingVarUint64,
  versionBytes,
} from './commithash';
export { backoffDelay, defaultBackoff } from './backoff';
export type { BackoffOptions } from './backoff';
export { rwsetsOfBlock, filterOf } from './recovery';
