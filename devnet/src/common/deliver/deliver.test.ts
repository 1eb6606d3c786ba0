import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { common, ledger, orderer, peer } from '@hyperledger/fabric-protos';
import { register } from 'prom-client';
import { BlockStore } from '../../ledger/blockstore/blockstore';
import { blockDataHash, blockHeaderHash, newBlock } from '../../protoutil/blockutils';
import { DeliverSupport, handleDeliver } from './deliver';
import {
  memberPolicies,
  Position,
  seekInfoBytes,
  signedEnvelope,
  testIdentity,
  TestIdentity,
} from './testkit';

const CHANNEL = 'egov';
const { BLOCK_UNTIL_READY, FAIL_IF_NOT_READY } = orderer.SeekInfo.SeekBehavior;

function block(n: number, prev: common.Block | undefined, data: Uint8Array[]): common.Block {
  const b = newBlock(n, prev ? blockHeaderHash(prev.getHeader()!) : new Uint8Array(0));
  b.getData()!.setDataList(data);
  b.getHeader()!.setDataHash(blockDataHash(b.getData()!));
  return b;
}

type Response = peer.DeliverResponse | orderer.DeliverResponse;

/** Writes requests on one stream and collects responses until `statuses` status responses came, or the stream ends. */
function exchange(
  stream: grpc.ClientDuplexStream<common.Envelope, Response>,
  requests: common.Envelope[],
  statuses = requests.length,
): Promise<{ responses: Response[]; ended: boolean; closed: Promise<void> }> {
  const closed = new Promise<void>((res) => stream.on('end', () => res()));
  return new Promise((resolve, reject) => {
    const responses: Response[] = [];
    let seen = 0;
    stream.on('data', (r: Response) => {
      responses.push(r);
      if (r.getTypeCase() === 1 && ++seen === statuses) resolve({ responses, ended: false, closed });
    });
    stream.on('end', () => resolve({ responses, ended: true, closed }));
    stream.on('error', reject);
    for (const req of requests) stream.write(req);
  });
}

function statusOf(r: Response): number | undefined {
  return r.getTypeCase() === 1 ? r.getStatus() : undefined;
}

describe('handleDeliver', () => {
  let dir: string;
  let store: BlockStore;
  let server: grpc.Server;
  let peerClient: peer.DeliverClient;
  let ordererClient: orderer.AtomicBroadcastClient;
  let reader: TestIdentity;
  let stranger: TestIdentity;
  let chain: common.Block[];
  let now: Date | undefined;
  /** What the support's privateData hook was asked: block number and the requester's identity. */
  let pvtCalls: { block: number; creator: Uint8Array }[];
  let pvtFailure: Error | undefined;

  beforeAll(async () => {
    reader = await testIdentity('Org1MSP');
    stranger = await testIdentity('OtherMSP');
  });

  beforeEach(async () => {
    now = undefined;
    pvtCalls = [];
    pvtFailure = undefined;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deliver-'));
    store = await BlockStore.open(dir);
    chain = [];
    const tx = endorserTx('tx-1', 'egov', 'AssetCreated');
    for (let n = 0; n < 3; n++) {
      chain.push(block(n, chain[n - 1], n === 1 ? [tx.serializeBinary()] : [new Uint8Array(0)]));
      if (n === 1) {
        const md = chain[1].getMetadata()!.getMetadataList_asU8();
        md[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.of(peer.TxValidationCode.VALID);
        chain[1].getMetadata()!.setMetadataList(md);
      }
      await store.append(chain[n]);
    }
    const support: DeliverSupport = {
      channelId: CHANNEL,
      store,
      policies: memberPolicies('Org1MSP'),
      readersPolicy: '/Channel/Application/Readers',
      privateData: async (n, signedData) => {
        pvtCalls.push({ block: n, creator: signedData[0].identity });
        if (pvtFailure) throw pvtFailure;
        return n === 1 ? new Map([[0, pvtWriteSet('egov', 'Coll1')]]) : new Map();
      },
    };
    const options = { now: () => now ?? new Date() };
    server = new grpc.Server();
    server.addService(peer.DeliverService, {
      deliver: (call: grpc.ServerDuplexStream<common.Envelope, peer.DeliverResponse>) =>
        handleDeliver(call, support, 'full', options),
      deliverFiltered: (call: grpc.ServerDuplexStream<common.Envelope, peer.DeliverResponse>) =>
        handleDeliver(call, support, 'filtered', options),
      deliverWithPrivateData: (call: grpc.ServerDuplexStream<common.Envelope, peer.DeliverResponse>) =>
        handleDeliver(call, support, 'private', options),
    });
    server.addService(orderer.AtomicBroadcastService, {
      broadcast: (call: grpc.ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>) =>
        call.emit('error', { code: grpc.status.UNIMPLEMENTED }),
      deliver: (call: grpc.ServerDuplexStream<common.Envelope, orderer.DeliverResponse>) =>
        handleDeliver(
          call,
          (id) => (id === CHANNEL ? { ...support, readersPolicy: '/Channel/Readers' } : undefined),
          'orderer',
        ),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    peerClient = new peer.DeliverClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    ordererClient = new orderer.AtomicBroadcastClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterEach(async () => {
    peerClient.close();
    ordererClient.close();
    server.forceShutdown();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function request(
    start: Position,
    stop: Position,
    o: {
      behavior?: number;
      signer?: TestIdentity;
      channelId?: string;
      timestamp?: Date | null;
      contentType?: number;
    } = {},
  ): common.Envelope {
    return signedEnvelope({
      channelId: o.channelId ?? CHANNEL,
      type: common.HeaderType.DELIVER_SEEK_INFO,
      data: seekInfoBytes(start, stop, o.behavior ?? BLOCK_UNTIL_READY, o.contentType),
      signer: o.signer ?? reader,
      timestamp: o.timestamp,
    });
  }

  function blockNumbers(responses: Response[]): number[] {
    return responses.filter((r) => r.getTypeCase() === 2).map((r) => r.getBlock()!.getHeader()!.getNumber());
  }

  it('streams oldest..specified then SUCCESS, and serves a second request on the same stream', async () => {
    const stream = peerClient.deliver();
    const { responses } = await exchange(stream, [request('oldest', 2), request('newest', 'newest')]);
    stream.end();
    expect(blockNumbers(responses)).toEqual([0, 1, 2, 2]);
    expect(responses.map(statusOf)).toEqual([
      undefined,
      undefined,
      undefined,
      common.Status.SUCCESS,
      undefined,
      common.Status.SUCCESS,
    ]);
    expect(responses[1].getBlock()!.serializeBinary()).toEqual(chain[1].serializeBinary());
  });

  it('finishes the request when the client half-closes right after sending it', async () => {
    const stream = peerClient.deliver();
    const pending = exchange(stream, [request(0, 2)]);
    stream.end();
    const { responses, closed } = await pending;
    expect(blockNumbers(responses)).toEqual([0, 1, 2]);
    expect(statusOf(responses[3])).toBe(common.Status.SUCCESS);
    await closed;
  });

  it('answers NOT_FOUND for a block beyond the height and for an unknown channel, and ends the stream', async () => {
    let r = await exchange(peerClient.deliver(), [request(7, 9)]);
    expect(r.responses.map(statusOf)).toEqual([common.Status.NOT_FOUND]);
    r = await exchange(peerClient.deliver(), [request(0, 0, { channelId: 'nochannel' })]);
    expect(r.responses.map(statusOf)).toEqual([common.Status.NOT_FOUND]);
  });

  it('answers NOT_FOUND with FAIL_IF_NOT_READY when the block is not there yet', async () => {
    const { responses } = await exchange(peerClient.deliver(), [
      request(1, 3, { behavior: FAIL_IF_NOT_READY }),
    ]);
    expect(blockNumbers(responses)).toEqual([1, 2]);
    expect(statusOf(responses[responses.length - 1])).toBe(common.Status.NOT_FOUND);
  });

  it('waits with BLOCK_UNTIL_READY until the block is committed', async () => {
    const stream = peerClient.deliver();
    const before = await requestsReceived();
    const pending = exchange(stream, [request(3, 3)]);
    await untilRequestsReceived(before + 1);
    chain.push(block(3, chain[2], [new Uint8Array(0)]));
    await store.append(chain[3]);
    const { responses } = await pending;
    stream.end();
    expect(blockNumbers(responses)).toEqual([3]);
    expect(statusOf(responses[1])).toBe(common.Status.SUCCESS);
  });

  it('answers BAD_REQUEST when stop is before start, the timestamp is missing or out of the time window', async () => {
    for (const req of [
      request(2, 1),
      request(0, 0, { timestamp: null }),
      request(0, 0, { timestamp: new Date(Date.now() - 16 * 60_000) }),
    ]) {
      const { responses, closed } = await exchange(peerClient.deliver(), [req]);
      expect(responses.map(statusOf)).toEqual([common.Status.BAD_REQUEST]);
      await closed; // a failed request ends the stream (the test times out otherwise)
    }
  });

  it('answers FORBIDDEN for a signer outside the readers policy or with a bad signature', async () => {
    let r = await exchange(peerClient.deliver(), [request(0, 0, { signer: stranger })]);
    expect(r.responses.map(statusOf)).toEqual([common.Status.FORBIDDEN]);
    const forged = request(0, 0);
    forged.setSignature(stranger.sign(forged.getPayload_asU8()));
    r = await exchange(peerClient.deliver(), [forged]);
    expect(r.responses.map(statusOf)).toEqual([common.Status.FORBIDDEN]);
  });

  it('answers FORBIDDEN once the creator certificate has expired', async () => {
    const shortLived = await testIdentity('Org1MSP', new Date(Date.now() + 86400_000));
    now = new Date(Date.now() + 2 * 86400_000);
    const { responses } = await exchange(peerClient.deliver(), [
      request(0, 0, { signer: shortLived, timestamp: now }),
    ]);
    expect(responses.map(statusOf)).toEqual([common.Status.FORBIDDEN]);
  });

  it('sends filtered blocks with tx ids, validation codes and chaincode events without payload', async () => {
    const { responses } = await exchange(peerClient.deliverFiltered(), [request(1, 1)]);
    const fb = (responses[0] as peer.DeliverResponse).getFilteredBlock()!;
    expect(fb.getChannelId()).toBe(CHANNEL);
    expect(fb.getNumber()).toBe(1);
    const [ftx] = fb.getFilteredTransactionsList();
    expect(ftx.getTxid()).toBe('tx-1');
    expect(ftx.getType()).toBe(common.HeaderType.ENDORSER_TRANSACTION);
    expect(ftx.getTxValidationCode()).toBe(peer.TxValidationCode.VALID);
    const [action] = ftx.getTransactionActions()!.getChaincodeActionsList();
    const event = action.getChaincodeEvent()!;
    expect([event.getChaincodeId(), event.getEventName(), event.getTxId()]).toEqual([
      'egov',
      'AssetCreated',
      'tx-1',
    ]);
    expect(event.getPayload_asU8()).toHaveLength(0);
    expect(statusOf(responses[1])).toBe(common.Status.SUCCESS);
  });

  it('sends each block with the private data the support gives for the requester on DeliverWithPrivateData', async () => {
    const { responses } = await exchange(peerClient.deliverWithPrivateData(), [request(1, 2)]);
    const first = (responses[0] as peer.DeliverResponse).getBlockAndPrivateData()!;
    expect(first.getBlock()!.getHeader()!.getNumber()).toBe(1);
    const tx0 = first.getPrivateDataMapMap().get(0)!;
    expect(tx0.getNsPvtRwsetList()[0].getCollectionPvtRwsetList()[0].getCollectionName()).toBe('Coll1');
    expect(
      (responses[1] as peer.DeliverResponse).getBlockAndPrivateData()!.getPrivateDataMapMap().getLength(),
    ).toBe(0);
    expect(pvtCalls.map((c) => c.block)).toEqual([1, 2]);
    expect(Buffer.from(pvtCalls[0].creator).equals(Buffer.from(reader.serialized))).toBe(true);
  });

  it('asks for no private data on Deliver', async () => {
    const { responses } = await exchange(peerClient.deliver(), [request(1, 1)]);
    expect((responses[0] as peer.DeliverResponse).getBlock()!.getHeader()!.getNumber()).toBe(1);
    expect(pvtCalls).toEqual([]);
  });

  it('ends the stream with an error when the private data cannot be read (Fabric INTERNAL_SERVER_ERROR + error)', async () => {
    pvtFailure = new Error('no collection config was found for collection X for chaincode egov');
    await expect(exchange(peerClient.deliverWithPrivateData(), [request(1, 1)])).rejects.toMatchObject({
      code: grpc.status.UNKNOWN,
      details: expect.stringContaining('no collection config was found for collection X'),
    });
  });

  it('serves the orderer protocol with orderer.DeliverResponse and strips data for HEADER_WITH_SIG', async () => {
    const stream = ordererClient.deliver();
    const { responses } = await exchange(stream, [
      request('oldest', 'newest', { contentType: orderer.SeekInfo.SeekContentType.HEADER_WITH_SIG }),
    ]);
    stream.end();
    expect(responses[0]).toBeInstanceOf(orderer.DeliverResponse);
    expect(blockNumbers(responses)).toEqual([0, 1, 2]);
    expect(responses[1].getBlock()!.getData()).toBeUndefined();
    expect(responses[1].getBlock()!.getHeader()!.getDataHash_asU8()).toEqual(
      chain[1].getHeader()!.getDataHash_asU8(),
    );
    expect(statusOf(responses[3])).toBe(common.Status.SUCCESS);
  });

  it('stops waiting when the client cancels', async () => {
    const closed = () => register.getSingleMetric('deliver_streams_closed')!.get();
    const before = (await closed()).values[0]?.value ?? 0;
    const received = await requestsReceived();
    const stream = peerClient.deliver();
    stream.on('error', () => undefined);
    stream.write(request(10, 10));
    stream.write(request(3, 'newest'));
    await untilRequestsReceived(received + 1); // the server waits for block 10
    stream.cancel();
    // Wait for the server to record the closed stream (no fixed sleep: a loaded machine takes longer).
    for (let n = 0; ((await closed()).values[0]?.value ?? 0) < before + 1 && n < 1500; n++)
      await new Promise((res) => setTimeout(res, 20));
    expect((await closed()).values[0].value).toBe(before + 1);
  });
});

/** Deliver requests the server has taken in so far (all labels). */
async function requestsReceived(): Promise<number> {
  const metric = await register.getSingleMetric('deliver_requests_received')?.get();
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

/** Waits until the server has taken in `n` requests: it is then serving (or waiting for) them. */
async function untilRequestsReceived(n: number): Promise<void> {
  while ((await requestsReceived()) < n) await new Promise((res) => setImmediate(res));
}

function endorserTx(txId: string, chaincodeId: string, eventName: string): common.Envelope {
  const event = new peer.ChaincodeEvent();
  event.setChaincodeId(chaincodeId);
  event.setTxId(txId);
  event.setEventName(eventName);
  event.setPayload(Buffer.from('secret payload'));
  const ccAction = new peer.ChaincodeAction();
  ccAction.setEvents(event.serializeBinary());
  const prp = new peer.ProposalResponsePayload();
  prp.setExtension$(ccAction.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(prp.serializeBinary());
  const cap = new peer.ChaincodeActionPayload();
  cap.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setPayload(cap.serializeBinary());
  const tx = new peer.Transaction();
  tx.setActionsList([action]);
  const chdr = new common.ChannelHeader();
  chdr.setType(common.HeaderType.ENDORSER_TRANSACTION);
  chdr.setChannelId(CHANNEL);
  chdr.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(tx.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env;
}

/** A private write set of one collection with one write. */
function pvtWriteSet(ns: string, coll: string): ledger.rwset.TxPvtReadWriteSet {
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  const w = new ledger.rwset.kvrwset.KVWrite();
  w.setKey('k');
  w.setValue(Buffer.from('v'));
  kv.addWrites(w);
  const c = new ledger.rwset.CollectionPvtReadWriteSet();
  c.setCollectionName(coll);
  c.setRwset(kv.serializeBinary());
  const n = new ledger.rwset.NsPvtReadWriteSet();
  n.setNamespace(ns);
  n.addCollectionPvtRwset(c);
  const tx = new ledger.rwset.TxPvtReadWriteSet();
  tx.addNsPvtRwset(n);
  return tx;
}
