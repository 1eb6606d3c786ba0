import { Context, Contract, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson, sha256Hex, type JsonObject } from '../lib/canonical';
import { HASH_SCHEME, LEGACY_HASH_SCHEME, privateValue, readTransientSalt } from '../lib/commitment';
import { requireEndorsementBy } from '../lib/endorsement';
import { AlreadyExistsError, InvalidArgumentError, NotFoundError, StateCorruptError } from '../lib/errors';
import { EventName, emitEvent, type EventNameValue } from '../lib/events';
import { checkArgument } from '../lib/input';
import { requireIssuer, requireRecordIssuer } from '../lib/authz-issuer';
import { recordKey } from '../lib/keys';
import {
  readPersonalBytes,
  personalDataHashOnLedger,
  readTransientPersonal,
  writePersonalData,
} from '../lib/privacy';
import { buildDocument } from '../lib/record-document';
import { readRecordHistory } from '../lib/record-history';
import { indexNewRecord, reindexStatus } from '../lib/record-index';
import { LIST_INDEXES, type ListIndex } from '../lib/record-keys';
import { readRecord } from '../lib/records';
import { evaluateRules } from '../lib/rules-engine';
import { parsePageSize } from '../lib/rules-engine-page';
import { listRecords } from '../lib/record-list';
import { readSchemaVersion } from '../lib/schemas';
import { exists, writeObject } from '../lib/state';
import { appendTrail, startCarriedTrail } from '../lib/trail';
import { txFacts, type TxFacts } from '../lib/tx';
import { openCase, requirementOf } from '../audit/cases';
import { chargeRecordFees } from '../lib/token-fees';
import type { Movement } from '../model/token';
import { auditStateOf } from '../audit/verify';
import { notFound, verifyResult } from '../lib/verify-result';
import { checkHash, findByHash, findById } from '../lib/record-lookup';
import { ID_PATTERN, ID_RULE, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE } from '../model/patterns';
import {
  checkStatusReason,
  checkTransition,
  newRecord,
  parseAmendmentInput,
  parseRecordInput,
  RECORD_STATUSES,
  withStatus,
  type LedgerRecord,
  type RecordInput,
  type StatusChange,
} from '../model/record';

export type { VerifyResult } from '../lib/verify-result';

/** Result of RegisterRecord and AmendRecord. */
export interface RegisterRecordResult {
  id: string;
  hash: string;
  txId: string;
  status: LedgerRecord['status'];
  version: number;
  schemaVersion: number;
  /** The issuing ministry (the caller's MSP ID). */
  issuerMsp: string;
  /** When the version was registered: the transaction time, ISO 8601 UTC. */
  createdAt: string;
  /** How `hash` commits to the document (lib/commitment). */
  hashScheme: number;
  /** For AmendRecord: the record the new version supersedes. */
  supersedes?: string;
  /** For RegisterRecord of a type with a fee: the fee movements. */
  fees?: Movement[];
}

/** The fee movements a registration made (read back by RegisterRecord for its result). */
const feesCharged = new WeakMap<object, Movement[]>();

/** Result of SuspendRecord, ReinstateRecord and RevokeRecord. */
export interface StatusChangeResult {
  id: string;
  status: LedgerRecord['status'];
  txId: string;
}

/** Result of GetPersonalData. */
export interface PersonalDataResult {
  id: string;
  collection: string;
  hash: string;
  personal: JsonObject;
  /** The record's hash scheme; under scheme 2, `salt` is the salt of its commitments. */
  hashScheme: number;
  salt?: string;
}

/**
 * The `ledger` contract: ministries register government records (credentials, permits,
 * decisions) validated against their record type's schema and the rules in force, amend them as
 * new versions, suspend, reinstate and revoke them; anyone on the channel verifies a document by
 * its hash or a record by its id. Only the issuing ministry changes a record: the chaincode checks
 * the caller, and each record key carries a key-level endorsement policy requiring a peer of the
 * issuing ministry, enforced at commit by every peer. Personal fields go to private data.
 */
@Info({ title: 'ledger', description: 'Government records: registration, changes, lookup, verification' })
export class LedgerContract extends Contract {
  constructor() {
    super('ledger');
  }

  /**
   * Registers a new record issued by the caller's ministry.
   * @param recordJson - JSON `{id, category, recordType, subjectRef, payload, schemaVersion?}`;
   *   personal fields go in the transient map under `personal`, and 16-64 random bytes under
   *   `salt` (lib/commitment).
   * @returns canonical JSON {@link RegisterRecordResult}; event `RecordRegistered`.
   */
  @Transaction()
  @Param(
    'recordJson',
    'string',
    'JSON {id, category, recordType, subjectRef, payload, schemaVersion?}; personal fields and the salt go in the transient map',
  )
  @Returns('RegisterRecordResult')
  async RegisterRecord(ctx: Context, recordJson: string): Promise<string> {
    const input = parseRecordInput(recordJson);
    const key = recordKey(ctx, input.id);
    if (await exists(ctx, key)) {
      throw new AlreadyExistsError(`record ${input.id} already exists`);
    }
    await requireIssuer(ctx, input.category, input.recordType);
    const tx = txFacts(ctx);
    const record = await this.issue(ctx, input, tx);
    await startCarriedTrail(ctx, record);
    emitRecordEvent(ctx, EventName.recordRegistered, record);
    const fees = feesCharged.get(ctx.stub) ?? [];
    return canonicalJson({ ...issueResult(record, tx), ...(fees.length > 0 ? { fees } : {}) });
  }

  /**
   * Amends a record: registers a new version (new id) and marks the old one SUPERSEDED.
   * @param amendmentJson - JSON `{newId, payload, reason, schemaVersion?}`; personal fields go in
   *   the transient map under `personal` (the new version carries only what is sent), a new salt
   *   under `salt`.
   * @returns canonical JSON {@link RegisterRecordResult} of the new version; event `RecordAmended`.
   */
  @Transaction()
  @Param('recordId', 'string', 'record id')
  @Param(
    'amendmentJson',
    'string',
    'JSON {newId, payload, reason, schemaVersion?}; personal fields and a new salt go in the transient map',
  )
  @Returns('RegisterRecordResult')
  async AmendRecord(ctx: Context, recordId: string, amendmentJson: string): Promise<string> {
    const old = await readRecord(ctx, checkId(recordId));
    const amendment = parseAmendmentInput(amendmentJson);
    await requireRecordIssuer(ctx, old, 'amend it');
    const superseded = checkTransition(old, 'AmendRecord');
    if (await exists(ctx, recordKey(ctx, amendment.newId))) {
      throw new AlreadyExistsError(`record ${amendment.newId} already exists`);
    }
    const tx = txFacts(ctx);
    const input: RecordInput = {
      id: amendment.newId,
      category: old.category,
      recordType: old.recordType,
      subjectRef: old.subjectRef,
      payload: amendment.payload,
      ...(amendment.schemaVersion === undefined ? {} : { schemaVersion: amendment.schemaVersion }),
    };
    const record = await this.issue(ctx, input, tx, old);
    await writeObject(
      ctx,
      recordKey(ctx, old.id),
      withStatus(old, superseded, amendment.reason, tx, record.id),
    );
    await reindexStatus(ctx, old, superseded);
    await appendTrail(ctx, 'record', old.id, 'RECORD_SUPERSEDED', { status: superseded, hash: old.hash });
    await startCarriedTrail(ctx, record);
    emitRecordEvent(ctx, EventName.recordAmended, record);
    return canonicalJson(issueResult(record, tx));
  }

  /** Suspends an ACTIVE record. @returns canonical JSON {@link StatusChangeResult}; event `RecordSuspended`. */
  @Transaction()
  @Param('recordId', 'string', 'record id')
  @Param('reason', 'string', 'why (stored on chain: never personal data)')
  @Returns('StatusChangeResult')
  async SuspendRecord(ctx: Context, recordId: string, reason: string): Promise<string> {
    return this.changeStatus(ctx, recordId, reason, 'SuspendRecord');
  }

  /** Reinstates a SUSPENDED record. @returns canonical JSON {@link StatusChangeResult}; event `RecordReinstated`. */
  @Transaction()
  @Param('recordId', 'string', 'record id')
  @Param('reason', 'string', 'why (stored on chain: never personal data)')
  @Returns('StatusChangeResult')
  async ReinstateRecord(ctx: Context, recordId: string, reason: string): Promise<string> {
    return this.changeStatus(ctx, recordId, reason, 'ReinstateRecord');
  }

  /** Revokes an ACTIVE or SUSPENDED record for good. @returns canonical JSON {@link StatusChangeResult}; event `RecordRevoked`. */
  @Transaction()
  @Param('recordId', 'string', 'record id')
  @Param('reason', 'string', 'why (stored on chain: never personal data)')
  @Returns('StatusChangeResult')
  async RevokeRecord(ctx: Context, recordId: string, reason: string): Promise<string> {
    return this.changeStatus(ctx, recordId, reason, 'RevokeRecord');
  }

  /**
   * Returns a record (public fields only).
   * @throws NotFoundError "record X does not exist".
   */
  @Transaction(false)
  @Param('id', 'string', 'id')
  @Returns('LedgerRecord')
  async GetRecord(ctx: Context, id: string): Promise<string> {
    return canonicalJson(await readRecord(ctx, checkId(id)));
  }

  /**
   * Every committed change of every version of a record, from the peer's history database: the
   * version chain is followed both ways from `id`, oldest version first, each version's changes
   * oldest first.
   * @returns canonical JSON array of RecordChange (lib/record-history).
   */
  @Transaction(false)
  @Param('id', 'string', 'id')
  @Returns('RecordChange[]')
  async GetRecordHistory(ctx: Context, id: string): Promise<string> {
    return canonicalJson(await readRecordHistory(ctx, checkId(id)));
  }

  /**
   * Lists records by issuing ministry, record type or status, one page at a time (lib/record-list:
   * by status in id order; by issuer in type and id order, by type in id order, records an older
   * chaincode registered first). A page of ACTIVE records scans a bounded number of records, so it
   * may hold fewer than `pageSize` and still bookmark more. Uses Fabric's paginated range query,
   * which Fabric allows only in read-only transactions: call it as an evaluate (query).
   * @param by - `issuer`, `type` or `status`.
   * @param value - the MSP ID, record type or status.
   * @param pageSize - 1 to 100.
   * @param bookmark - `` for the first page, else the previous page's bookmark.
   * @returns canonical JSON `{items: LedgerRecord[], bookmark}` (bookmark `` on the last page).
   */
  @Transaction(false)
  @Param('by', 'string', 'listing index: issuer, type or status')
  @Param('value', 'string', 'the issuer MSP id, record type or status listed')
  @Param('pageSize', 'string', 'page size, 1-100 (decimal)')
  @Param('bookmark', 'string', 'where the page starts; empty for the first page')
  @Returns('RecordPage')
  async ListRecords(
    ctx: Context,
    by: string,
    value: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const index = checkListIndex(by);
    const indexValue = checkListValue(index, value);
    const size = parsePageSize(pageSize);
    return canonicalJson(await listRecords(ctx, index, indexValue, size, bookmark ?? ''));
  }

  /**
   * Looks a document up by its hash, in one bounded read of the hash index. When several records
   * share a document hash, the one with the smallest id is reported.
   * @param hash - hex SHA-256 of the document's RFC 8785 canonical JSON (any case).
   * @returns canonical JSON {@link VerifyResult}.
   */
  @Transaction(false)
  @Param('hash', 'string', 'hex SHA-256 of a document')
  @Returns('VerifyResult')
  async VerifyHash(ctx: Context, hash: string): Promise<string> {
    const record = await findByHash(ctx, checkHash(hash));
    return canonicalJson(
      record ? { ...verifyResult(record), ...(await auditStateOf(ctx, record)) } : notFound(),
    );
  }

  /**
   * Looks a record up by id.
   * @returns canonical JSON {@link VerifyResult} (`{found: false}` for an unknown id).
   */
  @Transaction(false)
  @Param('id', 'string', 'id')
  @Returns('VerifyResult')
  async VerifyRecord(ctx: Context, id: string): Promise<string> {
    const record = await findById(ctx, checkId(id));
    return canonicalJson(
      record ? { ...verifyResult(record), ...(await auditStateOf(ctx, record)) } : notFound(),
    );
  }

  /**
   * Returns a record's personal fields to an issuer of the issuing ministry. Only that ministry's
   * peers hold them: evaluate on one of its peers. The value is checked against the hash on the
   * record before it is returned.
   * @returns canonical JSON {@link PersonalDataResult}.
   */
  @Transaction(false)
  @Param('id', 'string', 'id')
  @Returns('PersonalDataResult')
  async GetPersonalData(ctx: Context, id: string): Promise<string> {
    const record = await readRecord(ctx, checkId(id));
    await requireRecordIssuer(ctx, record, 'read its personal data');
    if (record.personalCollection === undefined || record.personalHash === undefined) {
      throw new NotFoundError(`record ${record.id} has no personal data`);
    }
    // A scheme 2 record's private value is `{personal, salt, scheme}` (lib/commitment).
    const scheme = record.hashScheme ?? LEGACY_HASH_SCHEME;
    const bytes = await readPersonalBytes(ctx, record.personalCollection, record.id);
    if (bytes === undefined) {
      throw new NotFoundError(
        `the personal data of record ${record.id} is not held by this peer; evaluate on a peer of ${record.issuerMsp}`,
      );
    }
    const text = Buffer.from(bytes).toString('utf8');
    if (sha256Hex(text) !== record.personalHash) {
      throw new StateCorruptError(
        `the personal data of record ${record.id} does not match the hash on the record`,
      );
    }
    const value = JSON.parse(text) as JsonObject;
    const result: PersonalDataResult = {
      id: record.id,
      collection: record.personalCollection,
      hash: record.personalHash,
      hashScheme: scheme,
      ...(scheme === LEGACY_HASH_SCHEME
        ? { personal: value }
        : { personal: value.personal as JsonObject, salt: value.salt as string }),
    };
    return canonicalJson(result);
  }

  /**
   * Whether the channel ledger holds the hash of a record's personal data, and whether it is the
   * one on the record (checked with GetPrivateDataHash, which answers on every peer).
   * @returns canonical JSON `{id, hasPersonalData, matches}`.
   */
  @Transaction(false)
  @Param('id', 'string', 'id')
  @Returns('PersonalDataCheck')
  async VerifyPersonalDataHash(ctx: Context, id: string): Promise<string> {
    const record = await readRecord(ctx, checkId(id));
    if (record.personalCollection === undefined || record.personalHash === undefined) {
      return canonicalJson({ id: record.id, hasPersonalData: false, matches: false });
    }
    const onLedger = await personalDataHashOnLedger(ctx, record.personalCollection, record.id);
    return canonicalJson({ id: record.id, hasPersonalData: true, matches: onLedger === record.personalHash });
  }

  /**
   * Validates, stores and indexes a new record (a first registration or a new version of
   * `previous`), with its personal data and its key-level endorsement policy.
   */
  private async issue(
    ctx: Context,
    input: RecordInput,
    tx: TxFacts,
    previous?: LedgerRecord,
  ): Promise<LedgerRecord> {
    const schema = await readSchemaVersion(ctx, input.recordType, input.schemaVersion);
    const payloadArg = previous ? 'amendmentJson' : 'recordJson';
    const salt = readTransientSalt(ctx);
    const doc = buildDocument(
      schema,
      input.payload,
      readTransientPersonal(ctx),
      { recordId: input.id, salt },
      payloadArg,
    );
    if (previous && sameDocument(previous, doc.document, doc.personal)) {
      throw new InvalidArgumentError(`the amendment of record ${previous.id} does not change its document`);
    }
    const legalBasis = await evaluateRules(ctx, {
      recordType: input.recordType,
      category: input.category,
      payload: doc.document,
      metadata: {
        issuerMsp: tx.mspId,
        schemaId: schema.id,
        schemaVersion: schema.version,
        version: previous ? previous.version + 1 : 1,
      },
    });
    const audit = await requirementOf(ctx, legalBasis);
    // a registration pays its record type's fees in the same transaction (amendments do not)
    const fees = previous
      ? []
      : await chargeRecordFees(ctx, legalBasis, { id: input.id, issuerMsp: tx.mspId }, input);
    // Always written: the salt must outlive the transaction, with the issuer only.
    const personal = await writePersonalData(ctx, tx.mspId, input.id, privateValue(doc.personal ?? {}, salt));
    const issued = newRecord(
      input,
      {
        schemaVersion: schema.version,
        hash: doc.hash,
        hashScheme: HASH_SCHEME,
        legalBasis: legalBasis.map((b) => ({ ...b })),
        personal,
      },
      tx,
      previous,
    );
    // under an audit policy the record waits for its case (opened below, same transaction)
    const status = audit ? 'PENDING_AUDIT' : issued.status;
    const record: LedgerRecord = {
      ...issued,
      ...(audit ? { status, auditCaseId: tx.txId } : {}),
      // its trail's entry 1, which startCarriedTrail indexes (lib/record-trail)
      trailStart: { action: previous ? 'RECORD_AMENDED' : 'RECORD_REGISTERED', status },
    };
    const key = recordKey(ctx, record.id);
    await writeObject(ctx, key, record);
    await requireEndorsementBy(ctx, key, record.issuerMsp);
    await indexNewRecord(ctx, record);
    if (audit) {
      await openCase(ctx, record, audit, previous ? 'AMENDMENT' : 'REGISTRATION', tx);
    }
    feesCharged.set(ctx.stub, fees);
    return record;
  }

  /** Suspends, reinstates or revokes a record. */
  private async changeStatus(
    ctx: Context,
    recordId: string,
    reason: string,
    change: StatusChange,
  ): Promise<string> {
    const record = await readRecord(ctx, checkId(recordId));
    const why = checkStatusReason(reason);
    await requireRecordIssuer(ctx, record, STATUS_VERBS[change]);
    const status = checkTransition(record, change);
    const tx = txFacts(ctx);
    const changed = withStatus(record, status, why, tx);
    await writeObject(ctx, recordKey(ctx, record.id), changed);
    await reindexStatus(ctx, record, status);
    await appendTrail(ctx, 'record', record.id, STATUS_ACTIONS[change], { status, hash: record.hash });
    emitRecordEvent(ctx, STATUS_EVENTS[change], changed);
    const result: StatusChangeResult = { id: record.id, status, txId: tx.txId };
    return canonicalJson(result);
  }
}

/** What status changes do, for "only X may <verb> it". */
const STATUS_VERBS: Record<StatusChange, string> = {
  SuspendRecord: 'suspend it',
  ReinstateRecord: 'reinstate it',
  RevokeRecord: 'revoke it',
  AmendRecord: 'amend it',
};

/** Audit actions of status changes. */
const STATUS_ACTIONS: Record<StatusChange, string> = {
  SuspendRecord: 'RECORD_SUSPENDED',
  ReinstateRecord: 'RECORD_REINSTATED',
  RevokeRecord: 'RECORD_REVOKED',
  AmendRecord: 'RECORD_SUPERSEDED',
};

/** Events of status changes. */
const STATUS_EVENTS: Record<StatusChange, EventNameValue> = {
  SuspendRecord: EventName.recordSuspended,
  ReinstateRecord: EventName.recordReinstated,
  RevokeRecord: EventName.recordRevoked,
  AmendRecord: EventName.recordAmended,
};

/** The transaction's one event: what a subscriber needs, nothing personal (no payload, no reason). */
function emitRecordEvent(ctx: Context, name: EventNameValue, record: LedgerRecord): void {
  emitEvent(ctx, name, {
    id: record.id,
    recordType: record.recordType,
    hash: record.hash,
    status: record.status,
    version: record.version,
    ...(record.supersedes === undefined ? {} : { supersedes: record.supersedes }),
  });
}

/** Result of a registration or amendment. */
function issueResult(record: LedgerRecord, tx: TxFacts): RegisterRecordResult {
  return {
    id: record.id,
    hash: record.hash,
    txId: tx.txId,
    status: record.status,
    version: record.version,
    schemaVersion: record.schemaVersion ?? 0,
    issuerMsp: record.issuerMsp,
    createdAt: record.createdAt,
    hashScheme: record.hashScheme ?? LEGACY_HASH_SCHEME,
    ...(record.supersedes === undefined ? {} : { supersedes: record.supersedes }),
  };
}

/**
 * Whether an amendment leaves the document as it was. A salted hash cannot tell (every version
 * has its own salt, and the old one is private), so: a scheme 2 version is unchanged when its
 * public fields are the same and it sends no personal fields; a scheme 1 version when the
 * unsalted hash of the whole new document equals the old one.
 */
function sameDocument(previous: LedgerRecord, document: JsonObject, personal?: JsonObject): boolean {
  if ((previous.hashScheme ?? LEGACY_HASH_SCHEME) === LEGACY_HASH_SCHEME) {
    return sha256Hex(canonicalJson(document)) === previous.hash;
  }
  return personal === undefined && canonicalJson(document) === canonicalJson(previous.payload);
}

/** Checks a record id argument. */
function checkId(id: string): string {
  return checkArgument('id', id, ID_PATTERN, ID_RULE);
}

/** Checks ListRecords' `by` argument. */
function checkListIndex(by: string): ListIndex {
  if (!Object.prototype.hasOwnProperty.call(LIST_INDEXES, by)) {
    throw new InvalidArgumentError(`by must be one of ${Object.keys(LIST_INDEXES).join(', ')}`);
  }
  return by as ListIndex;
}

/** Checks ListRecords' `value` argument for the chosen index. */
function checkListValue(index: ListIndex, value: string): string {
  switch (index) {
    case 'issuer':
      return checkArgument('value', value, ID_PATTERN, `an MSP ID (${ID_RULE})`);
    case 'type':
      return checkArgument('value', value, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE);
    case 'status':
      if (!(RECORD_STATUSES as readonly string[]).includes(value)) {
        throw new InvalidArgumentError(`value must be one of ${RECORD_STATUSES.join(', ')}`);
      }
      return value;
  }
}
