/**
 * The egov chaincode's vocabulary as its clients need it: identifier patterns, roles, record
 * categories and statuses, record listing indexes, proposal kinds and setting names, trail target
 * types and ids, hash schemes, transient map keys and the
 * currency's names (model/token). The gateway validates requests with these same values, so a
 * client's mistake is caught before a proposal with the chaincode's own rule. This module loads no fabric-contract-api code: a client may
 * import it (`egov/dist/vocabulary`) without the contracts.
 */
export {
  ID_PATTERN,
  ID_RULE,
  HASH_PATTERN,
  HASH_RULE,
  RECORD_TYPE_PATTERN,
  RECORD_TYPE_RULE,
} from './model/patterns';
export { ROLES, type Role } from './model/role';
export {
  RECORD_CATEGORIES,
  RECORD_STATUSES,
  SUBJECT_REF_PATTERN,
  MAX_STATUS_REASON_LENGTH,
  type RecordCategory,
  type RecordStatus,
} from './model/record';
export { PROPOSAL_KINDS, PROPOSAL_STATUSES, type ProposalKind, type ProposalStatus } from './model/proposal';
export { VERSIONED_KINDS, type VersionedKind } from './model/rule-versioning';
export { HOLDER_PATTERN, MSP_ID_PATTERN, TIME_PATTERN } from './model/authority';
export { TRAIL_TARGET_TYPES, TRAIL_TARGET_ID_PATTERN, type TrailTargetType } from './lib/trail-entry';
export { TRANSIENT_SALT_KEY, MIN_SALT_BYTES, HASH_SCHEME, LEGACY_HASH_SCHEME } from './lib/commitment';
export { LIST_INDEX_NAMES, type ListIndex } from './lib/record-keys';
export { SETTING_NAMES, type SettingName } from './model/proposal-setting';
export { TRANSIENT_PERSONAL_KEY } from './lib/privacy';
export {
  TOKEN_CONTRACT,
  CENTRAL_BANK_MSP,
  CURRENCY_CODE_PATTERN,
  AMOUNT_PATTERN,
  ACCOUNT_ID_PATTERN,
  RATE_PATTERN,
  TRANSIENT_TOKEN_KEY,
  TokenTx,
  MOVEMENT_KINDS,
  accountsCollection,
  parseAccountId,
  treasuryAccountId,
  officerAccountId,
} from './model/token';
