import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../lib/canonical';
import { AlreadyExistsError, NotFoundError, StateCorruptError } from '../lib/errors';
import { EventName, emitEvent } from '../lib/events';
import { checkArgument } from '../lib/input';
import { hashIndexKey, INDEX_VALUE, ObjectType, recordKey } from '../lib/keys';
import { readPartialCompositeKey } from '../lib/query';
import { readRecord } from '../lib/records';
import { exists, writeObject } from '../lib/state';
import { appendAuditEntry } from '../lib/trail';
import { txFacts } from '../lib/tx';
import { newAuditEntry } from '../model/audit';
import { ID_PATTERN, ID_RULE } from '../model/patterns';
import { newRecord, parseRecordInput, type LedgerRecord } from '../model/record';

/** Any-case hex SHA-256 accepted by VerifyHash (stored hashes are lower case). */
const HASH_ARGUMENT_PATTERN = /^[0-9a-fA-F]{64}$/;

/** Result of RegisterRecord. */
export interface RegisterRecordResult {
  id: string;
  hash: string;
  txId: string;
  status: LedgerRecord['status'];
}

/** Result of VerifyHash: what a verifier may learn about a document from its hash alone. */
export interface VerifyHashResult {
  found: boolean;
  id?: string;
  status?: LedgerRecord['status'];
  issuerMsp?: string;
  recordType?: string;
  registeredAt?: string;
  txId?: string;
}

/**
 * The `ledger` contract: ministries register government records (credentials, permits,
 * decisions) and anyone on the channel verifies a document by its hash.
 */
@Info({ title: 'ledger', description: 'Government records: registration, lookup, verification by hash' })
export class LedgerContract extends Contract {
  constructor() {
    super('ledger');
  }

  /**
   * Registers a new record issued by the caller's ministry.
   * @param recordJson - JSON `{id, category, recordType, subjectRef, payload}`.
   * @returns canonical JSON `{id, hash, txId, status}`.
   */
  @Transaction()
  @Returns('string')
  async RegisterRecord(ctx: Context, recordJson: string): Promise<string> {
    const input = parseRecordInput(recordJson);
    const key = recordKey(ctx, input.id);
    if (await exists(ctx, key)) {
      throw new AlreadyExistsError(`record ${input.id} already exists`);
    }
    const tx = txFacts(ctx);
    const record = newRecord(input, tx);
    await writeObject(ctx, key, record);
    await ctx.stub.putState(hashIndexKey(ctx, record.hash, record.id), INDEX_VALUE);
    await appendAuditEntry(
      ctx,
      newAuditEntry(record.id, 'RECORD_REGISTERED', tx, { status: record.status, hash: record.hash }),
    );
    emitEvent(ctx, EventName.recordRegistered, {
      id: record.id,
      recordType: record.recordType,
      hash: record.hash,
      status: record.status,
    });
    const result: RegisterRecordResult = {
      id: record.id,
      hash: record.hash,
      txId: tx.txId,
      status: record.status,
    };
    return canonicalJson(result);
  }

  /**
   * Returns a record.
   * @returns the record as canonical JSON.
   * @throws NotFoundError "record X does not exist".
   */
  @Transaction(false)
  @Returns('string')
  async GetRecord(ctx: Context, id: string): Promise<string> {
    return canonicalJson(await readRecord(ctx, checkArgument('id', id, ID_PATTERN, ID_RULE)));
  }

  /**
   * Looks a document up by the hash of its payload, in one bounded read of the hash index.
   * When several records share a payload hash, the one with the smallest id is reported.
   * @param hash - hex SHA-256 of the payload's RFC 8785 canonical JSON (any case).
   * @returns canonical JSON {@link VerifyHashResult}.
   */
  @Transaction(false)
  @Returns('string')
  async VerifyHash(ctx: Context, hash: string): Promise<string> {
    const wanted = checkArgument(
      'hash',
      hash,
      HASH_ARGUMENT_PATTERN,
      'a SHA-256 digest: 64 hex characters',
    ).toLowerCase();
    const { entries } = await readPartialCompositeKey(ctx, ObjectType.hashIndex, [wanted], 1);
    if (entries.length === 0) {
      const notFound: VerifyHashResult = { found: false };
      return canonicalJson(notFound);
    }
    const recordId = ctx.stub.splitCompositeKey(entries[0].key).attributes[1];
    const record = await readRecord(ctx, recordId).catch((err: unknown) => {
      // an index entry without its record means the state was changed outside egov
      throw err instanceof NotFoundError
        ? new StateCorruptError(`hash index points at missing record ${recordId}`)
        : err;
    });
    const found: VerifyHashResult = {
      found: true,
      id: record.id,
      status: record.status,
      issuerMsp: record.issuerMsp,
      recordType: record.recordType,
      registeredAt: record.createdAt,
      txId: record.txId,
    };
    return canonicalJson(found);
  }
}
