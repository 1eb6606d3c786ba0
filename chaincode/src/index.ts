/**
 * The egov chaincode. fabric-chaincode-node loads this module (package.json `main`) and serves
 * the contracts below; transactions are addressed as `<contract>:<function>`, e.g.
 * `ledger:RegisterRecord`. The first contract (`ledger`) is the default for unqualified names,
 * and `org.hyperledger.fabric:GetMetadata` is added by fabric-contract-api. `serializers` selects
 * egov's canonical-JSON result serializer (see lib/serializer.ts).
 */
import { AuditContract } from './contracts/audit';
import { LedgerContract } from './contracts/ledger';
import { RulesContract } from './contracts/rules';

export { serializers } from './lib/serializer';
export { AuditContract } from './contracts/audit';
export { LedgerContract } from './contracts/ledger';
export { RulesContract } from './contracts/rules';
export type { RegisterRecordResult, VerifyHashResult } from './contracts/ledger';
export type { OpenCaseResult } from './contracts/audit';
export type { LedgerRecord, RecordCategory, RecordStatus } from './model/record';
export type { Rule } from './model/rule';
export type { AuditEntry, AuditCase } from './model/audit';

/** The contracts served by this chaincode, in the order fabric-contract-api registers them. */
export const contracts = [LedgerContract, RulesContract, AuditContract];
