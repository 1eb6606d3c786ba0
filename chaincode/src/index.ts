/**
 * The egov chaincode. fabric-chaincode-node loads this module (package.json `main`) and serves
 * the contracts below; transactions are addressed as `<contract>:<function>`, e.g.
 * `ledger:RegisterRecord`. The first contract (`ledger`) is the default for unqualified names,
 * and `org.hyperledger.fabric:GetMetadata` is added by fabric-contract-api. `serializers` selects
 * egov's canonical-JSON result serializer (see lib/serializer.ts).
 */
import { inlineDataTypes } from './metadata/inline';
import { dropDisabledLogLevels } from './lib/shim-logging';
import { rememberDecodedCertificates } from './lib/shim-certificates';
import './metadata';
import { AuditContract } from './contracts/audit';
import { LedgerContract } from './contracts/ledger';
import { RulesContract } from './contracts/rules';
import { GovernanceContract } from './contracts/governance';
import { AuthoritiesContract } from './contracts/authorities';
import { SchemasContract } from './contracts/schemas';
import { TokenContract } from './contracts/token';
import { VerificationContract } from './contracts/verification';

export { serializers } from './lib/serializer';
export * from './vocabulary';
export { AuditContract } from './contracts/audit';
export { LedgerContract } from './contracts/ledger';
export { RulesContract } from './contracts/rules';
export { GovernanceContract } from './contracts/governance';
export { AuthoritiesContract } from './contracts/authorities';
export { evaluateRules, RuleViolationError } from './lib/rules-engine';
export { requireRole, isMinistryAdmin } from './lib/authz';
export { SchemasContract } from './contracts/schemas';
export { TokenContract } from './contracts/token';
export { VerificationContract } from './contracts/verification';
export type { VerificationResult } from './contracts/verification';
export type { VerificationEntry, VerificationOutcome } from './model/verification';
export type {
  RegisterRecordResult,
  StatusChangeResult,
  VerifyResult,
  PersonalDataResult,
} from './contracts/ledger';
export type { RegisterSchemaResult } from './contracts/schemas';
export type { SchemaVersion } from './model/schema';
export type { OpenCaseResult, DecisionResult } from './contracts/audit';
export type { LedgerRecord, RecordCategory, RecordStatus } from './model/record';
export type { Rule, LegalBasis } from './model/rule';
export type { AuthorityGrant } from './model/authority';
export type { Proposal } from './model/proposal';
export type { TrailEntry } from './lib/trail-entry';
export type { AuditCase, AuditDecision } from './audit/case';
export type { AuditPolicy } from './audit/policy';
export {
  TOKEN_CONTRACT,
  CENTRAL_BANK_MSP,
  CURRENCY_CODE_PATTERN,
  AMOUNT_PATTERN,
  ACCOUNT_ID_PATTERN,
  TRANSIENT_TOKEN_KEY,
  TokenTx,
  accountsCollection,
  isCurrencyCode,
  parseAccountId,
  treasuryAccountId,
  officerAccountId,
} from './model/token';
export type * from './model/token';

/** The contracts served by this chaincode, in the order fabric-contract-api registers them. */
export const contracts = [
  LedgerContract,
  RulesContract,
  AuditContract,
  SchemasContract,
  GovernanceContract,
  AuthoritiesContract,
  TokenContract,
  VerificationContract,
];

// fabric-shim would clobber the `schemas` contract with the data types' validators (metadata/inline.ts).
inlineDataTypes(contracts);
// The chaincode server's fabric-shim formats every debug message before dropping it (lib/shim-logging.ts).
dropDisabledLogLevels();
// fabric-shim decodes the caller's certificate at every transaction (lib/shim-certificates.ts).
rememberDecodedCertificates();
