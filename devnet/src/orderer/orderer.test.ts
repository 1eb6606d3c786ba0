import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { verify, X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import {
  memberPolicies,
  seekInfoBytes,
  signedEnvelope,
  testIdentity,
  TestIdentity,
} from '../common/deliver/testkit';
import { BlockStore } from '../ledger/blockstore/blockstore';
import { extractTxId } from '../ledger/blockstore/blocktxinfo';
import {
  blockDataHash,
  blockHeaderHash,
  blockSignaturesAsSignedData,
  getLastConfigIndexFromBlock,
  newBlock,
} from '../protoutil/blockutils';
import type { BatchConfig } from './batchsize';
import { BlockWriter } from './blockwriter';
import { BroadcastHandler } from './broadcast';
import { MAX_INFLIGHT_BLOCKS } from './chain';
import { ChainSupport } from './chainsupport';
import { ChannelResources } from './msgprocessor';
import { Registrar } from './registrar';
import { addAtomicBroadcastService } from './server';

const CHANNEL = 'egov';

function genesisBlock(): common.Block {
  const b = newBlock(0, new Uint8Array(0));
  b.getData()!.setDataList([Uint8Array.of(10, 0)]);
  b.getHeader()!.setDataHash(blockDataHash(b.getData()!));
  return b;
}

let ordererId: TestIdentity;
let client: TestIdentity;
let stranger: TestIdentity;
let dir: string;
let store: BlockStore;

beforeAll(async () => {
  ordererId = await testIdentity('OrdererMSP');
  client = await testIdentity('Org1MSP');
  stranger = await testIdentity('OtherMSP');
});

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orderer-'));
  store = await BlockStore.open(dir);
  await store.append(genesisBlock());
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function tx(
  o: { signer?: TestIdentity; channelId?: string; type?: number; size?: number; txId?: string } = {},
): common.Envelope {
  return signedEnvelope({
    channelId: o.channelId ?? CHANNEL,
    type: o.type ?? common.HeaderType.ENDORSER_TRANSACTION,
    data: new Uint8Array(o.size ?? 10),
    signer: o.signer ?? client,
    txId: o.txId ?? '',
  });
}

describe('BlockWriter', () => {
  it('chains blocks and adds LAST_CONFIG, an empty TRANSACTIONS_FILTER (as Fabric) and a verifiable orderer signature', async () => {
    const writer = new BlockWriter(store, ordererId);
    const envs = [tx({ txId: 'a' }), tx({ txId: 'b' })];
    const block = writer.createNextBlock(envs);
    await writer.writeBlock(block);

    const stored = (await store.getBlock(1))!;
    const header = stored.getHeader()!;
    expect(header.getNumber()).toBe(1);
    expect(header.getPreviousHash_asU8()).toEqual(blockHeaderHash((await store.getBlock(0))!.getHeader()!));
    expect(header.getDataHash_asU8()).toEqual(blockDataHash(stored.getData()!));
    expect(stored.getData()!.getDataList_asU8()[1]).toEqual(envs[1].serializeBinary());
    const md = stored.getMetadata()!.getMetadataList_asU8();
    expect(md).toHaveLength(5);
    expect(md[common.BlockMetadataIndex.TRANSACTIONS_FILTER]).toEqual(new Uint8Array(0));
    expect(getLastConfigIndexFromBlock(stored)).toBe(0);
    expect(
      common.Metadata.deserializeBinary(md[common.BlockMetadataIndex.LAST_CONFIG]).getValue_asU8(),
    ).toEqual(new common.LastConfig().serializeBinary());

    const [sd] = blockSignaturesAsSignedData(stored);
    expect(sd.identity).toEqual(ordererId.serialized);
    const cert = new X509Certificate(ordererId.certPem);
    expect(verify('sha256', sd.data, cert.publicKey, sd.signature)).toBe(true);
    const shdr = common.SignatureHeader.deserializeBinary(
      common.Metadata.deserializeBinary(md[0]).getSignaturesList()[0].getSignatureHeader_asU8(),
    );
    expect(shdr.getNonce_asU8()).toHaveLength(24);
  });

  it('builds the next block before the previous one is written', async () => {
    const writer = new BlockWriter(store, ordererId);
    const b1 = writer.createNextBlock([tx()]);
    const b2 = writer.createNextBlock([tx()]);
    expect(b2.getHeader()!.getPreviousHash_asU8()).toEqual(blockHeaderHash(b1.getHeader()!));
    await Promise.all([writer.writeBlock(b1), writer.writeBlock(b2)]);
    expect(store.height()).toBe(3);
  });
});

describe('Chain', () => {
  function support(batch: Partial<BatchConfig> = {}): ChainSupport {
    const resources: ChannelResources = {
      channelId: CHANNEL,
      config: new common.Config(),
      policies: memberPolicies('Org1MSP'),
      orderer: {
        batchTimeoutMs: 50,
        maxMessageCount: 3,
        absoluteMaxBytes: 100_000,
        preferredMaxBytes: 50_000,
        ...batch,
      },
    };
    return new ChainSupport(resources, store, ordererId);
  }

  it('resolves order() only once the block holding the message is in the store', async () => {
    const { chain } = support();
    const heights: number[] = [];
    await Promise.all([1, 2, 3].map(() => chain.order(tx()).then(() => heights.push(store.height()))));
    expect(heights).toEqual([2, 2, 2]);
    expect((await store.getBlock(1))!.getData()!.getDataList().length).toBe(3);
  });

  it('cuts a partial batch after BatchTimeout', async () => {
    const { chain } = support({ batchTimeoutMs: 80 });
    const started = Date.now();
    await chain.order(tx());
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    expect(store.height()).toBe(2);
  });

  it('halt() writes the pending batch and refuses new messages', async () => {
    const { chain } = support({ batchTimeoutMs: 10_000 });
    const ordered = chain.order(tx());
    await chain.halt();
    await ordered;
    expect(store.height()).toBe(2);
    await expect(chain.order(tx())).rejects.toThrow(/shutting down/);
  });

  it('stops for good when a block cannot be appended', async () => {
    const { chain } = support({ maxMessageCount: 1 });
    await store.append(
      (() => {
        const b = newBlock(1, blockHeaderHash(store.lastBlock()!.getHeader()!));
        b.getHeader()!.setDataHash(blockDataHash(b.getData()!));
        return b;
      })(),
    ); // someone else wrote block 1: the chain's block 1 will be refused
    await expect(chain.order(tx())).rejects.toThrow(/could not append block 1/);
    expect(chain.errored()).toBeDefined();
    await expect(chain.order(tx())).rejects.toThrow(/cannot write blocks/);
  });
});

describe('AtomicBroadcast service', () => {
  let server: grpc.Server;
  let abClient: orderer.AtomicBroadcastClient;
  let cs: ChainSupport;
  let registrar: Registrar;

  function chainSupport(batch: Partial<BatchConfig> = {}): ChainSupport {
    return new ChainSupport(
      {
        channelId: CHANNEL,
        config: new common.Config(),
        policies: memberPolicies('Org1MSP'),
        orderer: {
          batchTimeoutMs: 30,
          maxMessageCount: 10,
          absoluteMaxBytes: 20_000,
          preferredMaxBytes: 10_000,
          ...batch,
        },
      },
      store,
      ordererId,
    );
  }

  beforeEach(async () => {
    registrar = new Registrar();
    cs = chainSupport();
    registrar.add(cs);
    server = new grpc.Server();
    addAtomicBroadcastService(server, registrar);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    abClient = new orderer.AtomicBroadcastClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterEach(async () => {
    abClient.close();
    server.forceShutdown();
    await cs.chain.halt();
  });

  /** Sends envelopes on one stream and collects the responses until the server ends the stream. */
  function broadcast(envs: common.Envelope[]): Promise<orderer.BroadcastResponse[]> {
    return new Promise((resolve, reject) => {
      const stream = abClient.broadcast();
      const responses: orderer.BroadcastResponse[] = [];
      stream.on('data', (r: orderer.BroadcastResponse) => responses.push(r));
      stream.on('end', () => resolve(responses));
      stream.on('error', reject);
      for (const e of envs) stream.write(e);
      stream.end();
    });
  }

  const statuses = (rs: orderer.BroadcastResponse[]) => rs.map((r) => r.getStatus());

  it('answers SUCCESS in request order as soon as the messages are enqueued, before their block is cut', async () => {
    await cs.chain.halt(); // this test's own chain: a BatchTimeout no loaded machine can reach
    cs = chainSupport({ batchTimeoutMs: 600_000 });
    registrar = new Registrar();
    registrar.add(cs);
    const handler = new BroadcastHandler(registrar);
    const envs = Array.from({ length: 12 }, (_, i) => tx({ txId: `t${i}` }));
    const responses = envs.map((e) => handler.processMessage(e));
    expect(responses.map((r) => (r instanceof Promise ? 'waiting' : r.getStatus()))).toEqual(
      Array(12).fill(common.Status.SUCCESS),
    );
    // t10 and t11 wait in the pending batch: acknowledged, in no block yet.
    await store.waitForHeight(2);
    expect(await store.getTxLocation('t10')).toBeUndefined();
    await cs.chain.halt(); // writes the pending batch
    const ordered: string[] = [];
    for (let n = 1; n < store.height(); n++) {
      const data = (await store.getBlock(n))!.getData()!.getDataList_asU8();
      expect(data.length).toBeLessThanOrEqual(10); // MaxMessageCount
      ordered.push(...data.map((d) => extractTxId(d)));
    }
    expect(ordered).toEqual(envs.map((_, i) => `t${i}`)); // arrival order
  });

  it('answers SUCCESS on the stream in request order', async () => {
    const envs = Array.from({ length: 12 }, (_, i) => tx({ txId: `s${i}` }));
    const responses = await broadcast(envs);
    expect(statuses(responses)).toEqual(Array(12).fill(common.Status.SUCCESS));
    await cs.chain.halt();
    expect(await store.getTxLocation('s11')).toBeDefined();
  });

  it(`waits for room while ${MAX_INFLIGHT_BLOCKS} blocks wait to be written, then enqueues in order`, async () => {
    await cs.chain.halt();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const append = store.append.bind(store);
    const spy = jest.spyOn(store, 'append').mockImplementation((b) => held.then(() => append(b)));
    cs = chainSupport({ maxMessageCount: 1 });
    registrar = new Registrar();
    registrar.add(cs);
    const handler = new BroadcastHandler(registrar);
    const first = Array.from({ length: MAX_INFLIGHT_BLOCKS }, (_, i) =>
      handler.processMessage(tx({ txId: `f${i}` })),
    );
    expect(first.every((r) => !(r instanceof Promise) && r.getStatus() === common.Status.SUCCESS)).toBe(true);
    const waiting = handler.processMessage(tx({ txId: 'w' }));
    expect(waiting).toBeInstanceOf(Promise);
    release();
    expect((await waiting).getStatus()).toBe(common.Status.SUCCESS);
    await cs.chain.halt();
    spy.mockRestore();
    expect(await store.getTxLocation('w')).toEqual(
      expect.objectContaining({ blockNumber: MAX_INFLIGHT_BLOCKS + 1 }),
    );
  });

  it.each([
    [
      'a malformed payload',
      () => {
        const e = new common.Envelope();
        e.setPayload(Uint8Array.of(0xff, 0xff));
        return e;
      },
      common.Status.BAD_REQUEST,
      /could not determine channel ID/,
    ],
    [
      'an envelope without header',
      () => new common.Envelope(),
      common.Status.BAD_REQUEST,
      'could not determine channel ID: header not set',
    ],
    [
      'an unknown channel',
      () => tx({ channelId: 'nope' }),
      common.Status.BAD_REQUEST,
      'channel does not exist',
    ],
    [
      'a config update that is not a ConfigUpdateEnvelope',
      () => tx({ type: common.HeaderType.CONFIG_UPDATE }),
      common.Status.BAD_REQUEST,
      /error applying config update to existing channel 'egov': error (converting envelope to config update|authorizing update)/,
    ],
    [
      'a config message',
      () => tx({ type: common.HeaderType.CONFIG }),
      common.Status.BAD_REQUEST,
      'message is of type that cannot be processed directly',
    ],
    [
      'an oversized message',
      () => tx({ size: 30_000 }),
      common.Status.BAD_REQUEST,
      /exceeds maximum allowed 20000 bytes/,
    ],
    [
      'a signer outside /Channel/Writers',
      () => tx({ signer: stranger }),
      common.Status.FORBIDDEN,
      /permission denied$/,
    ],
    [
      'a forged signature',
      () => {
        const e = tx();
        e.setSignature(stranger.sign(e.getPayload_asU8()));
        return e;
      },
      common.Status.FORBIDDEN,
      /permission denied/,
    ],
  ])('rejects %s and ends the stream', async (_what, make, status, info) => {
    const responses = await broadcast([tx({ txId: 'ok' }), make(), tx({ txId: 'never' })]);
    expect(statuses(responses)).toEqual([common.Status.SUCCESS, status]);
    if (typeof info === 'string') expect(responses[1].getInfo()).toBe(info);
    else expect(responses[1].getInfo()).toMatch(info);
    // Had the server taken 'never' off the ended stream, it would be ordered before a later message:
    // once that one is in a block, 'never' would be too.
    expect(statuses(await broadcast([tx({ txId: 'after' })]))).toEqual([common.Status.SUCCESS]);
    await cs.chain.halt(); // every accepted message written
    expect(await store.getTxLocation('ok')).toBeDefined();
    expect(await store.getTxLocation('after')).toBeDefined();
    expect(await store.getTxLocation('never')).toBeUndefined();
  });

  it('rejects a message from an expired identity with BAD_REQUEST', async () => {
    const expired = await testIdentity('Org1MSP', new Date(Date.now() - 1000));
    const responses = await broadcast([tx({ signer: expired })]);
    expect(statuses(responses)).toEqual([common.Status.BAD_REQUEST]);
    expect(responses[0].getInfo()).toBe('broadcast client identity expired');
  });

  it('serves Deliver with /Channel/Readers on the same service', async () => {
    await broadcast([tx({ txId: 'x' })]);
    await store.waitForHeight(2); // accepted is not yet written
    const responses = await new Promise<orderer.DeliverResponse[]>((resolve, reject) => {
      const stream = abClient.deliver();
      const rs: orderer.DeliverResponse[] = [];
      stream.on('data', (r: orderer.DeliverResponse) => {
        rs.push(r);
        if (r.getTypeCase() === orderer.DeliverResponse.TypeCase.STATUS) {
          stream.end();
          resolve(rs);
        }
      });
      stream.on('error', reject);
      stream.write(
        signedEnvelope({
          channelId: CHANNEL,
          type: common.HeaderType.DELIVER_SEEK_INFO,
          data: seekInfoBytes('oldest', 'newest'),
          signer: client,
        }),
      );
    });
    expect(responses.map((r) => r.getBlock()?.getHeader()?.getNumber())).toEqual([0, 1, undefined]);
    expect(responses[2].getStatus()).toBe(common.Status.SUCCESS);
  });
});
