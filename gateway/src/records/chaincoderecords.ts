import { z } from 'zod';
import type { ChaincodeClient } from '../chaincode/client';
import { documentTransient } from '../documents/salt';
import type { RecordFacts } from '../documents/issue';
import { HashVerification, RecordsService, RegisteredRecord } from './service';
import { RegisterRecordRequest } from './schema';

/**
 * What `ledger:RegisterRecord` returns (other fields are ignored): the record's facts besides id, hash
 * and status came with egov's typed results and may be missing from an older chaincode's answer.
 */
const registerResultSchema = z.looseObject({
  id: z.string(),
  hash: z.string(),
  status: z.string(),
  /** The fee movements the registration paid (chaincode: only when a rule prices the type). */
  fees: z.array(z.record(z.string(), z.unknown())).optional(),
  txId: z.string().optional(),
  schemaVersion: z.number().int().optional(),
  issuerMsp: z.string().optional(),
  createdAt: z.string().optional(),
  hashScheme: z.number().int().optional(),
});
type RegisterResult = z.infer<typeof registerResultSchema>;
const verifyResultSchema = z.looseObject({ found: z.boolean() });
const recordSchema = z.record(z.string(), z.unknown());

/**
 * The facts of a just registered record, as `ledger:GetRecord` would answer them: the request's
 * fields and what RegisterRecord returned. Undefined when the result lacks some (an older egov).
 */
function factsOf(
  record: Omit<RegisterRecordRequest, 'personal'>,
  result: RegisterResult,
  transactionId: string,
): RecordFacts | undefined {
  const { issuerMsp, createdAt, hashScheme, schemaVersion } = result;
  if (issuerMsp === undefined || createdAt === undefined || hashScheme === undefined) return undefined;
  return {
    id: result.id,
    recordType: record.recordType,
    category: record.category,
    subjectRef: record.subjectRef,
    issuerMsp,
    createdAt,
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
    hash: result.hash,
    hashScheme,
    registeredTxId: transactionId,
    txId: result.txId ?? transactionId,
  };
}

/**
 * {@link RecordsService} over the {@link ChaincodeClient}: the records use cases as egov
 * transactions (`ledger:RegisterRecord`, `ledger:GetRecord`, `ledger:VerifyHash`), each result
 * checked for the shape the routes answer with.
 */
export class ChaincodeRecordsService implements RecordsService {
  constructor(private readonly chaincode: ChaincodeClient) {}

  /** Endorses, submits and waits for `ledger:RegisterRecord`; personal fields and the salt travel in the transient map. */
  async registerRecord(request: RegisterRecordRequest): Promise<RegisteredRecord> {
    const { personal, ...record } = request;
    const { transient, salt } = documentTransient(personal);
    const submitted = await this.chaincode.submit(
      'ledger:RegisterRecord',
      [JSON.stringify(record)],
      transient,
      registerResultSchema,
    );
    // The client checked the result against registerResultSchema before ordering it.
    const result = submitted.result as RegisterResult;
    const facts = factsOf(record, result, submitted.transactionId);
    return {
      id: result.id,
      hash: result.hash,
      transactionId: submitted.transactionId,
      blockNumber: submitted.blockNumber,
      status: result.status,
      salt,
      ...(result.fees === undefined ? {} : { fees: result.fees }),
      ...(facts === undefined ? {} : { facts }),
    };
  }

  /** Evaluates `ledger:GetRecord(id)`. */
  async getRecord(id: string): Promise<Record<string, unknown>> {
    return (await this.chaincode.evaluate('ledger:GetRecord', [id], recordSchema)) as Record<string, unknown>;
  }

  /** Evaluates `ledger:VerifyHash(hash)`. */
  async verifyHash(hash: string): Promise<HashVerification> {
    return (await this.chaincode.evaluate(
      'ledger:VerifyHash',
      [hash],
      verifyResultSchema,
    )) as HashVerification;
  }
}
