import type { Context } from 'fabric-contract-api';
import { asRecord, type LedgerRecord } from '../model/record';
import { unmarshal } from './canonical';
import { ObjectType } from './keys';
import { checkBookmark } from './query';
import { readIndexedRecord } from './record-lookup';
import { indexedRecordId, RecordObjectType, UNINDEXED_STATUS, type ListIndex } from './record-keys';
import { readPage, type Page } from './rules-engine-page';
import { domainOwnerMsp } from './schemas';

/**
 * ListRecords' pages (evaluate only: Fabric's paginated range queries), over the index layout of
 * lib/record-keys: by issuer, the issuer-and-type entries under the issuer (older records' entries
 * share the prefix); by type, older records' type entries, then the issuer-and-type entries under
 * the type's domain owner; by status, the status entries, except ACTIVE, listed from the record
 * keys. Each page holds at most `pageSize` records and a bookmark ('' on the last page).
 */

/** Most record keys one page of ACTIVE records scans, per record of its page size. */
export const ACTIVE_SCAN_FACTOR = 10;

/** Reads the record a list index entry names (the last attribute of its key). */
function indexedRecordReader(ctx: Context): (key: string) => Promise<LedgerRecord> {
  return (key) => readIndexedRecord(ctx, indexedRecordId(ctx, key));
}

/** One page of the records selected by `index` and `value` (both checked by the caller). */
export async function listRecords(
  ctx: Context,
  index: ListIndex,
  value: string,
  pageSize: number,
  bookmark: string,
): Promise<Page<LedgerRecord>> {
  const byIndex = indexedRecordReader(ctx);
  switch (index) {
    case 'issuer':
      return readPage(ctx, RecordObjectType.byIssuer, [value], pageSize, bookmark, byIndex);
    case 'type':
      return listByType(ctx, value, pageSize, bookmark);
    case 'status':
      return value === UNINDEXED_STATUS
        ? listActive(ctx, pageSize, bookmark)
        : readPage(ctx, RecordObjectType.byStatus, [value], pageSize, bookmark, byIndex);
  }
}

/**
 * Records of a type: first those an older chaincode indexed by type, then the issuer-and-type
 * entries under the type's owner. A bookmark names a key of the part it continues; a page that
 * ends the first part exactly bookmarks the start of the second.
 */
async function listByType(
  ctx: Context,
  recordType: string,
  pageSize: number,
  bookmark: string,
): Promise<Page<LedgerRecord>> {
  const byIndex = indexedRecordReader(ctx);
  const owner = await domainOwnerMsp(ctx, recordType);
  const newer = owner === undefined ? undefined : [owner, recordType];
  const older = [recordType];
  if (
    newer !== undefined &&
    bookmark.startsWith(ctx.stub.createCompositeKey(RecordObjectType.byIssuer, newer))
  ) {
    return readPage(ctx, RecordObjectType.byIssuer, newer, pageSize, bookmark, byIndex);
  }
  const first = await readPage(ctx, RecordObjectType.byType, older, pageSize, bookmark, byIndex);
  if (first.bookmark !== '' || newer === undefined) return first;
  const room = pageSize - first.items.length;
  if (room === 0) {
    return { items: first.items, bookmark: ctx.stub.createCompositeKey(RecordObjectType.byIssuer, newer) };
  }
  const second = await readPage(ctx, RecordObjectType.byIssuer, newer, room, '', byIndex);
  return { items: [...first.items, ...second.items], bookmark: second.bookmark };
}

/**
 * ACTIVE records, in id order, from the record keys (whose values are the records): each page
 * scans at most {@link ACTIVE_SCAN_FACTOR} times its size of them, so a page may hold fewer
 * records than asked for (or none) and still bookmark the rest.
 */
async function listActive(ctx: Context, pageSize: number, bookmark: string): Promise<Page<LedgerRecord>> {
  checkBookmark(ctx, ObjectType.record, [], bookmark);
  const items: LedgerRecord[] = [];
  let next = bookmark;
  let budget = pageSize * ACTIVE_SCAN_FACTOR;
  do {
    const want = Math.min(pageSize - items.length, budget);
    const page = await readPage(ctx, ObjectType.record, [], want, next, (key, value) =>
      asRecord(unmarshal(value, `record ${key}`), indexedRecordId(ctx, key)),
    );
    budget -= want;
    for (const record of page.items) if (record.status === UNINDEXED_STATUS) items.push(record);
    next = page.bookmark;
  } while (next !== '' && items.length < pageSize && budget > 0);
  return { items, bookmark: next };
}
