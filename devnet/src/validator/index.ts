/**
 * devnet's transaction validator (fabric core/committer/txvalidator/v20, core/common/validation, the
 * plugin dispatcher and the builtin v20 validation plugin, and the MVCC step of the ledger): validates
 * the transactions of a block and produces its TRANSACTIONS_FILTER and state updates.
 */
export { TxValidator, LedgerError, markTxIdDuplicates } from './txvalidator';
export type { TxValidatorOptions, ValidatorResources, ValidatedTx, BlockValidation } from './txvalidator';
export { validateTransaction } from './msgvalidation';
export type {
  IdentityDeserializer,
  CheckedTransaction,
  EndorserAction,
  MessageValidationResult,
} from './msgvalidation';
export { dispatch } from './dispatcher';
export type { DispatchResources, DispatchResult, ValidationInfo } from './dispatcher';
export {
  validateEndorsements,
  endorsementSignedData,
  EndorsementPolicyError,
  ValidationParameterUpdatedError,
  noKeyLevelPolicies,
} from './vscc';
export type { SignedData, PolicyLike, KeyLevelPolicySource, EndorsementCheck } from './vscc';
export { decodeTxRwSet, writesToNamespace } from './rwset';
export type { DecodedTxRwSet, DecodedNsRwSet } from './rwset';
export { validateState, updatesFromFilter } from './statevalidator';
export { txmgrStateSupport } from './txmgrsupport';
export type { StateValidationSupport, StateValidation } from './statevalidator';
export { TxValidationFlags, validationCodeName } from './txflags';
