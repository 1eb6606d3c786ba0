import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import { handleDeliver } from '../common/deliver';
import { BlockStore } from '../ledger/blockstore';
import { StateDB } from '../ledger/statedb';
import { blockHeaderHash } from '../protoutil';
import { noKeyLevelPolicies, TxValidator, txmgrStateSupport } from '../validator';
import { endorsedTx, newTestChannel, TestChannel, testBlock, testGenesisBlock } from '../validator/testing';
import { LedgerCommitter } from './committer';
import { DeliverClient, seekInfoBlocksFrom } from './deliverclient';

const definition = {
  name: 'egov',
  version: '0.1',
  endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
};

describe('seekInfoBlocksFrom', () => {
  it('asks for blocks from the height up to math.MaxUint64, blocking until ready', () => {
    const bytes = seekInfoBlocksFrom(7);
    const seek = orderer.SeekInfo.deserializeBinary(bytes);
    expect(seek.getStart()!.getSpecified()!.getNumber()).toBe(7);
    expect(seek.getBehavior()).toBe(orderer.SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
    // stop = SeekPosition{specified{number: 2^64-1}}: a 10-byte varint, as Go's proto.Marshal writes it.
    const maxUint64Varint = 'ff'.repeat(9) + '01';
    expect(Buffer.from(bytes).toString('hex')).toBe(
      '0a04' + '1a020807' + '120d' + '1a0b' + '08' + maxUint64Varint,
    );
  });
});

describe('DeliverClient', () => {
  let ch: TestChannel;
  let dir: string;
  let ordererStore: BlockStore;
  let store: BlockStore;
  let state: StateDB;
  let server: grpc.Server | undefined;
  let port = 0;

  beforeAll(async () => {
    ch = await newTestChannel('egov', ['ImmigrationMSP', 'EducationMSP', 'HealthMSP']);
  });
  beforeEach(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'deliverclient-'));
    ordererStore = await BlockStore.open(path.join(dir, 'orderer'));
    store = await BlockStore.open(path.join(dir, 'peer'));
    state = await StateDB.open(path.join(dir, 'state'));
  });
  afterEach(async () => {
    server?.forceShutdown();
    await Promise.all([ordererStore.close(), store.close(), state.close()]);
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  async function startOrderer(): Promise<void> {
    server = new grpc.Server();
    server.addService(orderer.AtomicBroadcastService, {
      broadcast: (call: grpc.ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>) => call.end(),
      deliver: (call: grpc.ServerDuplexStream<common.Envelope, orderer.DeliverResponse>) =>
        handleDeliver(
          call as never,
          {
            channelId: 'egov',
            store: ordererStore,
            policies: ch.policies,
            readersPolicy: '/Channel/Application/Readers',
          },
          'orderer',
        ),
    });
    port = await new Promise<number>((resolve, reject) =>
      server!.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
  }

  async function ordererAppend(): Promise<void> {
    const [a, b] = ch.orgs;
    const tx = endorsedTx('egov', a.member, [a.member, b.member], {
      writes: { [`k${ordererStore.height()}`]: 'v' },
    }).envelope;
    const last = ordererStore.lastBlock()!;
    await ordererStore.append(
      testBlock(ordererStore.height(), blockHeaderHash(last.getHeader()!), [tx], ch.orderer.member),
    );
  }

  async function until(cond: () => boolean, ms = 30_000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('pulls blocks from the peer height, waits for new ones, and resumes after the orderer restarts', async () => {
    const genesis = testGenesisBlock(ch);
    await ordererStore.append(common.Block.deserializeBinary(genesis.serializeBinary()));
    await ordererAppend();
    await ordererAppend();
    await startOrderer();
    const validator = new TxValidator({
      channelId: 'egov',
      resources: () => ({
        msps: ch.msps,
        policies: ch.policies,
        definition: () => definition,
        keyLevel: noKeyLevelPolicies,
      }),
      txIdExists: async (id) => (await store.getTxLocation(id)) !== undefined,
    });
    // The block store grows before the state commit finishes: wait on the committer's own event.
    let committedBlock = -1;
    const committer = new LedgerCommitter({
      channelId: 'egov',
      store,
      state,
      validator,
      stateSupport: txmgrStateSupport(state),
      onCommitted: (c) => {
        committedBlock = c.block.getHeader()!.getNumber();
      },
    });
    await committer.commitGenesis(genesis);
    const client = new DeliverClient({
      channelId: 'egov',
      address: `127.0.0.1:${port}`,
      credentials: grpc.credentials.createInsecure(),
      signer: ch.orgs[0].member,
      lastHeader: () => store.lastBlock()!.getHeader()!,
      policies: () => ch.policies,
      onBlock: (b) => committer.commitBlock(b),
      backoff: { initialMs: 20, maxMs: 100, base: 1.2 },
    });
    client.start();
    try {
      await until(() => store.height() === 3);
      expect(client.connected).toBe(true);
      await ordererAppend();
      await until(() => store.height() === 4);

      server!.forceShutdown();
      await until(() => !client.connected);
      await ordererAppend();
      await startOrderer();
      await until(() => committedBlock === 4);
      expect(store.height()).toBe(5);
      expect(await state.savepoint()).toBe(4);
      expect(await state.get('egov', 'k4')).toBeDefined();
    } finally {
      await client.stop();
    }
  });
});
