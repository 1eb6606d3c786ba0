import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { msp, peer } from '@hyperledger/fabric-protos';
import { StateDB, UpdateBatch } from '../ledger/statedb';
import { TxSimulator, parseTxRwSet } from '../ledger/txmgr';
import { createChaincodeProposal, signProposal } from '../protoutil';
import { ChaincodeSupport } from './chaincodesupport';
import type { ChaincodeDefinition } from './definition';
import { DefinitionStore } from './definition';
import { TestChaincodeServer, freePort, startTestChaincode } from './testdata/testchaincode';

jest.setTimeout(30000);

const PACKAGE_ID = 'egov_0.1:0123abcd';
const creator = ((): Uint8Array => {
  const id = new msp.SerializedIdentity();
  id.setMspid('ImmigrationMSP');
  id.setIdBytes(Buffer.from('-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n'));
  return id.serializeBinary();
})();
const signer = { serialize: () => creator, sign: () => new Uint8Array([1, 2, 3]) };

/** What one invocation answered, with its simulator (for the rwset). */
interface Invoked {
  status: number;
  message: string;
  payload: string;
  sim: TxSimulator;
  event?: peer.ChaincodeEvent;
  txId: string;
}

describe('ChaincodeSupport with a real fabric-shim ChaincodeServer', () => {
  let dir: string;
  let db: StateDB;
  let server: TestChaincodeServer;
  let support: ChaincodeSupport;
  let def: ChaincodeDefinition;

  async function invoke(...args: string[]): Promise<Invoked> {
    return invokeOn(support, ...args);
  }

  async function invokeOn(on: ChaincodeSupport, ...args: string[]): Promise<Invoked> {
    const { proposal, txId } = createChaincodeProposal({
      channelId: 'egov',
      chaincodeName: 'egov',
      args: args.map((a) => Buffer.from(a)),
      creator,
    });
    const input = new peer.ChaincodeInput();
    input.setArgsList(args.map((a) => Buffer.from(a)));
    const sim = new TxSimulator(db, txId);
    const { response, event } = await on.execute({
      channelId: 'egov',
      txId,
      signedProposal: signProposal(proposal, signer),
      chaincodeName: 'egov',
      input,
      simulator: sim,
    });
    return {
      status: response.getStatus(),
      message: response.getMessage(),
      payload: Buffer.from(response.getPayload_asU8()).toString(),
      sim,
      event,
      txId,
    };
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccsupport-'));
    db = await StateDB.open(path.join(dir, 'state'));
    const batch = new UpdateBatch();
    for (let i = 0; i < 150; i++)
      batch.put('egov', `k${String(i).padStart(3, '0')}`, Buffer.from(`v${i}`), { blockNum: 1, txNum: i });
    batch.put('egov', 'vp', Buffer.from('x'), { blockNum: 1, txNum: 200 });
    await db.applyUpdates(batch, 1);
    server = await startTestChaincode(PACKAGE_ID);
    def = {
      name: 'egov',
      version: '0.1',
      sequence: 1,
      packageId: PACKAGE_ID,
      endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
      initRequired: false,
      server: { address: server.address },
    };
    support = new ChaincodeSupport({
      home: dir,
      peerName: 'peer0',
      definitions: { get: (n) => (n === 'egov' ? def : undefined) },
      executeTimeoutMs: 2000,
    });
  });

  afterAll(async () => {
    await support.close();
    await server.stop();
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves GET_STATE and PUT_STATE and builds the rwset from them', async () => {
    const r = await invoke('get', 'k001');
    expect([r.status, r.payload]).toEqual([200, 'v1']);
    const w = await invoke('put', 'new', 'value');
    expect(w.status).toBe(200);
    const rw = parseTxRwSet(w.sim.getResults()).nsRwSets[0];
    expect(rw.namespace).toBe('egov');
    expect(rw.kvRwSet.writes.map((x) => [x.key, Buffer.from(x.value).toString()])).toEqual([
      ['new', 'value'],
    ]);
  });

  it('answers range queries in batches of 100 with QUERY_STATE_NEXT and records the range query', async () => {
    const r = await invoke('count');
    expect(r.payload).toBe('151');
    const range = await invoke('range', 'k010', 'k013');
    expect(JSON.parse(range.payload)).toEqual(['k010', 'k011', 'k012']);
    const info = parseTxRwSet(range.sim.getResults()).nsRwSets[0].kvRwSet.rangeQueriesInfo[0];
    expect([info.getStartKey(), info.getEndKey(), info.getItrExhausted()]).toEqual(['k010', 'k013', true]);
    expect(
      info
        .getRawReads()
        ?.getKvReadsList()
        .map((x) => x.getKey()),
    ).toEqual(['k010', 'k011', 'k012']);
  });

  it('serves composite-key range queries', async () => {
    await db.applyUpdates(
      await (async () => {
        const b = new UpdateBatch();
        b.put('egov', '\u0000citizen\u0000A1\u0000', Buffer.from('a'), { blockNum: 2, txNum: 0 });
        b.put('egov', '\u0000citizen\u0000B2\u0000', Buffer.from('b'), { blockNum: 2, txNum: 1 });
        b.put('egov', '\u0000visa\u0000A1\u0000', Buffer.from('c'), { blockNum: 2, txNum: 2 });
        return b;
      })(),
      2,
    );
    const r = await invoke('partial', 'citizen');
    expect(JSON.parse(r.payload)).toEqual(['\u0000citizen\u0000A1\u0000', '\u0000citizen\u0000B2\u0000']);
    expect((await invoke('count')).payload).toBe('151'); // '' start = U+0001 skips composite keys
  });

  it('paginates with bookmarks', async () => {
    const p1 = JSON.parse((await invoke('page', '2', '')).payload);
    expect(p1).toEqual({ keys: ['k000', 'k001'], bookmark: 'k002', count: 2 });
    const p2 = JSON.parse((await invoke('page', '2', 'k002')).payload);
    expect(p2.keys).toEqual(['k002', 'k003']);
  });

  it('returns chaincode events with chaincode id and tx id set', async () => {
    const r = await invoke('event', 'Registered', 'payload');
    expect(r.event?.getEventName()).toBe('Registered');
    expect(r.event?.getChaincodeId()).toBe('egov');
    expect(r.event?.getTxId()).toBe(r.txId);
  });

  it('passes through error statuses', async () => {
    expect((await invoke('fail')).status).toBe(500);
    const nf = await invoke('notfound');
    expect([nf.status, nf.message]).toEqual([404, 'no such record']);
  });

  it('reports rich queries and history with Fabric LevelDB texts', async () => {
    const rich = await invoke('rich');
    expect(rich.status).toBe(500);
    expect(rich.message).toMatch(
      /GET_QUERY_RESULT failed: transaction ID: [0-9a-f]+: ExecuteQuery not supported for leveldb/,
    );
    // With a page size or a bookmark Fabric's LevelDB names the paginated call (fabric-samples'
    // ledger-queries application stops there on a LevelDB peer).
    for (const [size, bookmark] of [
      ['2', ''],
      ['0', 'k001'],
    ]) {
      expect((await invoke('richpage', size, bookmark)).message).toMatch(
        /GET_QUERY_RESULT failed: transaction ID: [0-9a-f]+: ExecuteQueryWithMetadata not supported for leveldb/,
      );
    }
    expect((await invoke('history', 'k001')).message).toMatch(/history database is not enabled/);
  });

  it('stores and reads key metadata (validation parameters)', async () => {
    const set = await invoke('setvp', 'vp', 'policy-bytes');
    expect(set.status).toBe(200);
    const mw = parseTxRwSet(set.sim.getResults()).nsRwSets[0].kvRwSet.metadataWrites;
    expect(mw.map((m) => [m.key, m.entries.map((e) => e.name)])).toEqual([['vp', ['VALIDATION_PARAMETER']]]);
  });

  it('serves a shim that does not batch (fabric-shim 2.5) when READY offers batches, as a Fabric 3.1 peer does', async () => {
    const offering = new ChaincodeSupport({
      home: dir,
      peerName: 'peer0',
      definitions: { get: (n) => (n === 'egov' ? def : undefined) },
      executeTimeoutMs: 2000,
      runtimeParams: {
        useWriteBatch: true,
        maxSizeWriteBatch: 1000,
        useGetMultipleKeys: true,
        maxSizeGetMultipleKeys: 1000,
      },
    });
    try {
      const w = await invokeOn(offering, 'put', 'offered', 'value');
      expect(w.status).toBe(200);
      const writes = parseTxRwSet(w.sim.getResults()).nsRwSets[0].kvRwSet.writes;
      expect(writes.map((x) => [x.key, Buffer.from(x.value).toString()])).toEqual([['offered', 'value']]);
      expect((await invokeOn(offering, 'get', 'k002')).payload).toBe('v2');
    } finally {
      await offering.close();
    }
  });

  it('runs concurrent transactions on one stream', async () => {
    const results = await Promise.all(['k001', 'k002', 'k003', 'k004'].map((k) => invoke('get', k)));
    expect(results.map((r) => r.payload)).toEqual(['v1', 'v2', 'v3', 'v4']);
  });

  it('times out with Fabric text', async () => {
    await expect(invoke('sleep', '3000')).rejects.toThrow(
      /failed to execute transaction [0-9a-f]+: error sending: timeout expired while executing transaction/,
    );
  });

  it('rejects an undefined chaincode and init when not required', async () => {
    const input = new peer.ChaincodeInput();
    input.setIsInit(true);
    const sim = new TxSimulator(db, 'x');
    const sp = new peer.SignedProposal();
    await expect(
      support.execute({
        channelId: 'egov',
        txId: 'x',
        signedProposal: sp,
        chaincodeName: 'nope',
        input,
        simulator: sim,
      }),
    ).rejects.toThrow(/could not find chaincode with name 'nope'/);
    await expect(
      support.execute({
        channelId: 'egov',
        txId: 'x',
        signedProposal: sp,
        chaincodeName: 'egov',
        input,
        simulator: sim,
      }),
    ).rejects.toThrow(/does not require initialization but called as init/);
  });
});

describe('ChaincodeSupport connection handling', () => {
  it('reconnects when the chaincode server starts after the peer or restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccreconnect-'));
    const db = await StateDB.open(dir);
    const port = await freePort();
    const def: ChaincodeDefinition = {
      name: 'egov',
      version: '0.1',
      sequence: 1,
      packageId: PACKAGE_ID,
      endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
      initRequired: false,
      server: { address: `127.0.0.1:${port}` },
    };
    const support = new ChaincodeSupport({
      home: dir,
      peerName: 'p',
      definitions: { get: () => def },
      connectTimeoutMs: 300,
    });
    const run = async (): Promise<number> => {
      const input = new peer.ChaincodeInput();
      input.setArgsList([Buffer.from('count')]);
      const { proposal, txId } = createChaincodeProposal({
        channelId: 'egov',
        chaincodeName: 'egov',
        args: [Buffer.from('count')],
        creator,
      });
      const r = await support.execute({
        channelId: 'egov',
        txId,
        signedProposal: signProposal(proposal, signer),
        chaincodeName: 'egov',
        input,
        simulator: new TxSimulator(db, txId),
      });
      return r.response.getStatus();
    };
    /** Runs `run` until `accept` takes its outcome (a status or the error), for at most 10 s. */
    const runUntil = async (accept: (outcome: number | Error) => boolean): Promise<number | Error> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const outcome = await run().catch((err: unknown) => err as Error);
        if (accept(outcome) || Date.now() > deadline) return outcome;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await expect(run()).rejects.toThrow(/could not launch chaincode egov_0.1:0123abcd/);
      let server = await startTestChaincode(PACKAGE_ID, port);
      expect(await run()).toBe(200);
      await server.stop();
      server = await startTestChaincode(PACKAGE_ID, port);
      // The support learns that the old server is gone only when its stream ends: until then a call
      // may still fail on the old stream.
      expect(await runUntil((outcome) => outcome === 200)).toBe(200);
      await server.stop();
      const wrong = await startTestChaincode('other:1', port);
      const refused = await runUntil(
        (outcome) => outcome instanceof Error && /registered as/.test(outcome.message),
      );
      expect(String(refused)).toMatch(/registered as 'other:1'/);
      await wrong.stop();
    } finally {
      await support.close();
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DefinitionStore', () => {
  it("reads this peer's entry and re-reads when the file changes", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ccdef-'));
    const file = path.join(home, 'chaincode', 'egov', 'definition.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const write = (version: string): void =>
      fs.writeFileSync(
        file,
        JSON.stringify({
          name: 'egov',
          version,
          sequence: 1,
          endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
          initRequired: false,
          servers: {
            peer0: {
              address: '127.0.0.1:7052',
              rootCertPath: '/ca.pem',
              serverName: 'egov.peer0',
              packageId: `egov_${version}:aa`,
            },
          },
        }),
      );
    write('0.1');
    const store = new DefinitionStore(home, 'peer0');
    expect(store.get('egov')).toMatchObject({
      version: '0.1',
      packageId: 'egov_0.1:aa',
      server: { address: '127.0.0.1:7052', serverName: 'egov.peer0' },
    });
    expect(new DefinitionStore(home, 'other').get('egov')?.server).toBeUndefined();
    write('0.22');
    expect(store.get('egov')?.packageId).toBe('egov_0.22:aa');
    expect(store.get('missing')).toBeUndefined();
    expect(store.get('../x')).toBeUndefined();
    fs.rmSync(home, { recursive: true, force: true });
  });
});
