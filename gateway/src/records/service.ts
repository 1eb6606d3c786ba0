import type { RecordFacts } from '../documents/issue';
import { RegisterRecordRequest } from './schema';

/** What `POST /api/v1/records` answers once the transaction is committed. */
export interface RegisteredRecord {
  id: string;
  /** Hex SHA-256 of the document's salted commitment (hash scheme 2), computed by the chaincode. */
  hash: string;
  transactionId: string;
  /** Block holding the transaction (a JSON number; Fabric's uint64 fits for any realistic chain). */
  blockNumber: number;
  /** The record's status as the chaincode set it (e.g. `ACTIVE`). */
  status: string;
  /**
   * The salt of the record's commitments (hex; hash scheme 2), drawn by the gateway: the holder's
   * document needs it, and only the issuer's private data keeps it.
   */
  salt: string;
  /** The fee movements the registration paid when a rule prices its record type (token contract). */
  fees?: Record<string, unknown>[];
  /**
   * The record's public facts the holder's document states, from the request and what the
   * transaction returned, so that nothing is read back after the commit. Not part of the answer;
   * absent when the chaincode's result lacks them (an egov before it returned them): the route then
   * reads the record (`getRecord`).
   */
  facts?: RecordFacts;
}

/** The chaincode's `ledger:VerifyHash` answer. */
export interface HashVerification {
  found: boolean;
  [field: string]: unknown;
}

/**
 * The records use cases, as the HTTP routes see them. The implementation is
 * `ChaincodeRecordsService`, over the one `ChaincodeClient`; tests inject fakes. Errors are
 * thrown as fabric-gateway throws them (or as ApiError); the app's error handler maps them.
 */
export interface RecordsService {
  /** Endorses, submits and waits for the commit of `ledger:RegisterRecord`. */
  registerRecord(request: RegisterRecordRequest): Promise<RegisteredRecord>;
  /** Evaluates `ledger:GetRecord`; the record as the chaincode returns it. */
  getRecord(id: string): Promise<Record<string, unknown>>;
  /** Evaluates `ledger:VerifyHash` for a lower-case hex SHA-256. */
  verifyHash(hash: string): Promise<HashVerification>;
}
