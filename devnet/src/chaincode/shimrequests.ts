import { randomUUID } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos';
import { ERROR_RICH_QUERY, ERROR_RICH_QUERY_PAGINATED } from './errors';
import { decodeKeyRequest, decodePutState, decodePutStateMetadata, encodeChaincodeMessage } from './message';
import { privateData } from './privatedata';
import { buildQueryResponse } from './queryresponse';
import type { TransactionContext } from './transactioncontext';

const T = peer.ChaincodeMessage.Type;

/** Limits of the shim request handlers. */
export interface ShimRequestLimits {
  /** Fabric's ledger.state.totalQueryLimit. */
  totalQueryLimit: number;
}

/** Handles one shim request of a transaction; returns the RESPONSE payload (or throws → ERROR). */
type RequestHandler = (
  payload: Uint8Array,
  ctx: TransactionContext,
  limits: ShimRequestLimits,
) => Promise<Uint8Array | undefined>;

async function getState(payload: Uint8Array, ctx: TransactionContext): Promise<Uint8Array | undefined> {
  const { key, collection } = decodeKeyRequest(payload);
  if (collection !== '')
    return privateData(ctx, collection, 'read').getPrivateData(ctx.namespace, collection, key);
  return ctx.simulator.getState(ctx.namespace, key);
}

async function getStateMultiple(payload: Uint8Array, ctx: TransactionContext): Promise<Uint8Array> {
  const req = peer.GetStateMultiple.deserializeBinary(payload);
  const collection = req.getCollection();
  const keys = req.getKeysList();
  const values: Uint8Array[] = [];
  if (collection !== '') {
    const pvt = privateData(ctx, collection, 'read');
    for (const key of keys)
      values.push((await pvt.getPrivateData(ctx.namespace, collection, key)) ?? new Uint8Array(0));
  } else {
    for (const key of keys)
      values.push((await ctx.simulator.getState(ctx.namespace, key)) ?? new Uint8Array(0));
  }
  const res = new peer.GetStateMultipleResult();
  res.setValuesList(values);
  return res.serializeBinary();
}

/** One write of a transaction, sent alone (PUT_STATE, ...) or in a WRITE_BATCH_STATE. */
function writeState(
  ctx: TransactionContext,
  collection: string,
  key: string,
  value: Uint8Array | undefined,
): void {
  if (collection !== '') {
    privateData(ctx, collection, 'write').setPrivateData(ctx.namespace, collection, key, value);
  } else if (value === undefined) {
    ctx.simulator.deleteState(ctx.namespace, key);
  } else {
    ctx.simulator.setState(ctx.namespace, key, value);
  }
}

function writeStateMetadata(
  ctx: TransactionContext,
  collection: string,
  key: string,
  md: { metakey: string; value: Uint8Array },
): void {
  // As Fabric: the write carries only this entry and replaces the key's metadata.
  if (collection !== '') {
    privateData(ctx, collection, 'write').setPrivateDataMetadata(ctx.namespace, collection, key, {
      [md.metakey]: md.value,
    });
  } else {
    ctx.simulator.setStateMetadata(ctx.namespace, key, { [md.metakey]: md.value });
  }
}

function purgeState(ctx: TransactionContext, collection: string, key: string): void {
  privateData(ctx, collection, 'write').purgePrivateData(ctx.namespace, collection, key);
}

async function putState(payload: Uint8Array, ctx: TransactionContext): Promise<undefined> {
  const { key, value, collection } = decodePutState(payload);
  writeState(ctx, collection, key, value);
  return undefined;
}

async function delState(payload: Uint8Array, ctx: TransactionContext): Promise<undefined> {
  const { key, collection } = decodeKeyRequest(payload);
  writeState(ctx, collection, key, undefined);
  return undefined;
}

async function getStateMetadata(payload: Uint8Array, ctx: TransactionContext): Promise<Uint8Array> {
  const { key, collection } = decodeKeyRequest(payload);
  const metadata =
    (collection !== ''
      ? await privateData(ctx, collection, 'read').getPrivateDataMetadata(ctx.namespace, collection, key)
      : await ctx.simulator.getStateMetadata(ctx.namespace, key)) ?? {};
  const res = new peer.StateMetadataResult();
  // Sorted, so the answer does not depend on map order (Fabric iterates a Go map).
  res.setEntriesList(
    Object.keys(metadata)
      .sort()
      .map((name) => {
        const e = new peer.StateMetadata();
        e.setMetakey(name);
        e.setValue(metadata[name]);
        return e;
      }),
  );
  return res.serializeBinary();
}

async function putStateMetadata(payload: Uint8Array, ctx: TransactionContext): Promise<undefined> {
  const { key, collection, metadata: md } = decodePutStateMetadata(payload);
  if (!md) {
    throw new Error('PutStateMetadata has no metadata');
  }
  writeStateMetadata(ctx, collection, key, md);
  return undefined;
}

/**
 * A transaction's writes in one message (Fabric 3.1's HandleWriteBatch): each record is applied as
 * its own PUT_STATE, DEL_STATE, PUT_STATE_METADATA or PURGE_PRIVATE_DATA would be, in order, so
 * the read-write set is the one those messages would have made.
 */
async function writeBatchState(payload: Uint8Array, ctx: TransactionContext): Promise<undefined> {
  const req = peer.WriteBatchState.deserializeBinary(payload);
  for (const rec of req.getRecList()) {
    const key = rec.getKey();
    const collection = rec.getCollection();
    switch (rec.getType()) {
      case peer.WriteRecord.Type.PUT_STATE:
        writeState(ctx, collection, key, rec.getValue_asU8());
        break;
      case peer.WriteRecord.Type.DEL_STATE:
        writeState(ctx, collection, key, undefined);
        break;
      case peer.WriteRecord.Type.PUT_STATE_METADATA: {
        const md = rec.getMetadata();
        if (!md) throw new Error(`write record for key '${key}' has no metadata`);
        writeStateMetadata(ctx, collection, key, { metakey: md.getMetakey(), value: md.getValue_asU8() });
        break;
      }
      case peer.WriteRecord.Type.PURGE_PRIVATE_DATA:
        purgeState(ctx, collection, key);
        break;
      default:
        // Fabric's text for a record of no known type.
        throw new Error('unknown operation type');
    }
  }
  return undefined;
}

function pageOf(metadataBytes: Uint8Array): { pageSize: number; bookmark: string } | undefined {
  if (metadataBytes.length === 0) {
    return undefined;
  }
  const md = peer.QueryMetadata.deserializeBinary(metadataBytes);
  // Fabric: pagination only when a page size or a bookmark is set.
  return md.getPagesize() === 0 && md.getBookmark() === ''
    ? undefined
    : { pageSize: md.getPagesize(), bookmark: md.getBookmark() };
}

function totalReturnLimit(limits: ShimRequestLimits, pageSize?: number): number {
  return pageSize !== undefined && pageSize > 0 && pageSize < limits.totalQueryLimit
    ? pageSize
    : limits.totalQueryLimit;
}

async function getStateByRange(
  payload: Uint8Array,
  ctx: TransactionContext,
  limits: ShimRequestLimits,
): Promise<Uint8Array> {
  const req = peer.GetStateByRange.deserializeBinary(payload);
  const coll = req.getCollection();
  const page = coll !== '' ? undefined : pageOf(req.getMetadata_asU8());
  const id = randomUUID();
  const iterator =
    coll !== ''
      ? privateData(ctx, coll, 'read').getPrivateDataRange(
          ctx.namespace,
          coll,
          req.getStartkey(),
          req.getEndkey(),
        )
      : page
        ? ctx.simulator.getStateRangeWithPagination(
            ctx.namespace,
            page.bookmark !== '' ? page.bookmark : req.getStartkey(),
            req.getEndkey(),
            page.pageSize,
          )
        : ctx.simulator.getStateRange(ctx.namespace, req.getStartkey(), req.getEndkey());
  ctx.queries.set(id, { iterator, pending: [], totalReturnCount: 0 });
  try {
    return (
      await buildQueryResponse(ctx, id, page !== undefined, totalReturnLimit(limits, page?.pageSize))
    ).serializeBinary();
  } catch (err) {
    await ctx.cleanupQuery(id);
    throw err;
  }
}

async function queryStateNext(
  payload: Uint8Array,
  ctx: TransactionContext,
  limits: ShimRequestLimits,
): Promise<Uint8Array> {
  const id = peer.QueryStateNext.deserializeBinary(payload).getId();
  try {
    return (await buildQueryResponse(ctx, id, false, totalReturnLimit(limits))).serializeBinary();
  } catch (err) {
    await ctx.cleanupQuery(id);
    throw err;
  }
}

async function queryStateClose(payload: Uint8Array, ctx: TransactionContext): Promise<Uint8Array> {
  const id = peer.QueryStateClose.deserializeBinary(payload).getId();
  await ctx.cleanupQuery(id);
  const res = new peer.QueryResponse();
  res.setHasMore(false);
  res.setId(id);
  return res.serializeBinary();
}

async function getPrivateDataHash(
  payload: Uint8Array,
  ctx: TransactionContext,
): Promise<Uint8Array | undefined> {
  const { key, collection } = decodeKeyRequest(payload);
  return privateData(ctx, collection, 'none').getPrivateDataHash(ctx.namespace, collection, key);
}

async function purgePrivateData(payload: Uint8Array, ctx: TransactionContext): Promise<undefined> {
  const req = peer.PurgePrivateState.deserializeBinary(payload);
  purgeState(ctx, req.getCollection(), req.getKey());
  return undefined;
}

/**
 * Rich queries on a LevelDB peer fail as handler.go's HandleGetQueryResult makes them fail: a
 * collection's query after the private data checks (Init, read access), a query with a page size
 * or bookmark with the paginated call's text, any other with ExecuteQuery's.
 */
async function getQueryResult(payload: Uint8Array, ctx: TransactionContext): Promise<never> {
  const req = peer.GetQueryResult.deserializeBinary(payload);
  const coll = req.getCollection();
  if (coll !== '') {
    privateData(ctx, coll, 'read');
    throw new Error(ERROR_RICH_QUERY);
  }
  throw new Error(pageOf(req.getMetadata_asU8()) ? ERROR_RICH_QUERY_PAGINATED : ERROR_RICH_QUERY);
}

async function getHistoryForKey(
  payload: Uint8Array,
  ctx: TransactionContext,
  limits: ShimRequestLimits,
): Promise<Uint8Array> {
  const history = ctx.services.history;
  // Fabric's text when the peer keeps no history database.
  if (!history) throw new Error('history database is not enabled');
  const req = peer.GetHistoryForKey.deserializeBinary(payload);
  const scan = history.getHistoryForKey(ctx.namespace, req.getKey());
  const id = randomUUID();
  const iterator = {
    next: async () => {
      const r = await scan.next();
      return r === undefined
        ? undefined
        : { namespace: ctx.namespace, key: req.getKey(), value: r.modification };
    },
    close: () => scan.close(),
    bookmarkAndClose: async () => {
      await scan.close();
      return '';
    },
  };
  ctx.queries.set(id, { iterator, raw: true, pending: [], totalReturnCount: 0 });
  try {
    return (await buildQueryResponse(ctx, id, false, totalReturnLimit(limits))).serializeBinary();
  } catch (err) {
    await ctx.cleanupQuery(id);
    throw err;
  }
}

/**
 * INVOKE_CHAINCODE on the same channel (Fabric's HandleInvokeChaincode): runs the called chaincode with
 * this transaction's simulator, so its reads and writes join this transaction's read-write set, and
 * answers with the called chaincode's COMPLETED or ERROR message. `name/channel` naming another channel
 * is refused: devnet peers hold one channel.
 */
async function invokeChaincode(payload: Uint8Array, ctx: TransactionContext): Promise<Uint8Array> {
  const invoke = ctx.services.invoke;
  if (!invoke) throw new Error('chaincode-to-chaincode invocation is not available');
  const spec = peer.ChaincodeSpec.deserializeBinary(payload);
  const [name, channel] = (spec.getChaincodeId()?.getName() ?? '').split('/');
  if (channel !== undefined && channel !== '' && channel !== ctx.channelId) {
    throw new Error(
      `invoking chaincode ${name} on channel ${channel}: devnet peers have only channel ${ctx.channelId}`,
    );
  }
  const input = spec.getInput() ?? new peer.ChaincodeInput();
  return encodeChaincodeMessage(await invoke(name, input));
}

/** The handler of each shim request type the peer serves (Fabric's handleMessageReadyState). */
export const SHIM_REQUESTS: ReadonlyMap<number, RequestHandler> = new Map<number, RequestHandler>([
  [T.GET_STATE, getState],
  [T.GET_STATE_MULTIPLE, getStateMultiple],
  [T.PUT_STATE, putState],
  [T.DEL_STATE, delState],
  [T.WRITE_BATCH_STATE, writeBatchState],
  [T.GET_STATE_METADATA, getStateMetadata],
  [T.PUT_STATE_METADATA, putStateMetadata],
  [T.GET_STATE_BY_RANGE, getStateByRange],
  [T.QUERY_STATE_NEXT, queryStateNext],
  [T.QUERY_STATE_CLOSE, queryStateClose],
  [T.GET_QUERY_RESULT, getQueryResult],
  [T.GET_HISTORY_FOR_KEY, getHistoryForKey],
  [T.GET_PRIVATE_DATA_HASH, getPrivateDataHash],
  [T.PURGE_PRIVATE_DATA, purgePrivateData],
  [T.INVOKE_CHAINCODE, invokeChaincode],
]);

/** Fabric's name of a message type, e.g. GET_STATE, for error texts. */
export function messageTypeName(type: number): string {
  const entry = Object.entries(T).find(([, v]) => v === type);
  return entry ? entry[0] : String(type);
}
