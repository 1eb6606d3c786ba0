export { counter, gauge, histogram } from './registry';
export {
  LEDGER_TIME_BUCKETS,
  channelOfBlock,
  recordBlockCommitted,
  recordBlockWritten,
  setBlockchainHeight,
  txStats,
} from './ledger';
export { proposalCompleted, proposalReceived, proposalValidationFailed } from './endorser';
