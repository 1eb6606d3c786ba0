import { ledger, peer } from '@hyperledger/fabric-protos';
import type { TransactionContext } from './transactioncontext';

/** Results per QueryResponse (Fabric's QueryResponseGenerator MaxResultLimit). */
export const MAX_RESULT_LIMIT = 100;
/** Fabric's default ledger.state.totalQueryLimit (core.yaml). */
export const DEFAULT_TOTAL_QUERY_LIMIT = 100000;

function queryResultBytes(namespace: string, key: string, value: Uint8Array): peer.QueryResultBytes {
  const kv = new ledger.queryresult.KV();
  kv.setNamespace(namespace);
  kv.setKey(key);
  kv.setValue(value);
  const r = new peer.QueryResultBytes();
  r.setResultbytes(kv.serializeBinary());
  return r;
}

function rawResultBytes(serialized: Uint8Array): peer.QueryResultBytes {
  const r = new peer.QueryResultBytes();
  r.setResultbytes(serialized);
  return r;
}

async function finalResponse(
  ctx: TransactionContext,
  id: string,
  isPaginated: boolean,
): Promise<peer.QueryResponse> {
  const q = ctx.queries.get(id);
  const res = new peer.QueryResponse();
  res.setResultsList(q?.pending ?? []);
  res.setHasMore(false);
  res.setId(id);
  if (isPaginated && q) {
    const meta = new peer.QueryResponseMetadata();
    meta.setFetchedRecordsCount(q.totalReturnCount);
    meta.setBookmark(await q.iterator.bookmarkAndClose());
    res.setMetadata(meta.serializeBinary());
  }
  await ctx.cleanupQuery(id);
  return res;
}

/**
 * Builds the next QueryResponse of query `id` (Fabric's QueryResponseGenerator.BuildQueryResponse):
 * batches of {@link MAX_RESULT_LIMIT} with has_more = true while results remain, up to
 * `totalReturnLimit` in all; the last batch has has_more = false and closes the query. A paginated
 * query returns its whole page at once with QueryResponseMetadata {fetched_records_count, bookmark}.
 */
export async function buildQueryResponse(
  ctx: TransactionContext,
  id: string,
  isPaginated: boolean,
  totalReturnLimit: number,
): Promise<peer.QueryResponse> {
  const q = ctx.queries.get(id);
  if (!q) {
    throw new Error('query iterator not found');
  }
  for (;;) {
    if (q.totalReturnCount >= totalReturnLimit) {
      return finalResponse(ctx, id, isPaginated);
    }
    const kv = await q.iterator.next();
    if (kv === undefined) {
      return finalResponse(ctx, id, isPaginated);
    }
    const bytes = q.raw ? rawResultBytes(kv.value) : queryResultBytes(kv.namespace, kv.key, kv.value);
    if (!isPaginated && q.pending.length === MAX_RESULT_LIMIT) {
      const batch = q.pending;
      q.pending = [bytes];
      q.totalReturnCount++;
      const res = new peer.QueryResponse();
      res.setResultsList(batch);
      res.setHasMore(true);
      res.setId(id);
      return res;
    }
    q.pending.push(bytes);
    q.totalReturnCount++;
  }
}
