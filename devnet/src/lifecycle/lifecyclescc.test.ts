import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ledger, peer } from '@hyperledger/fabric-protos';
import { StateDB, UpdateBatch } from '../ledger/statedb';
import { applyWrites, rwsetFromBytes, TxSimulator } from '../ledger/txmgr';
import { createChaincodeProposal, signProposal, unpackProposal } from '../protoutil';
import { SccStub } from '../scc/sccstub';
import { LifecycleCache } from './cache';
import { writeCcaasPackage } from './ccaaspackage';
import { ChaincodeStore } from './chaincodestore';
import { collectionsToProto } from './collectionsconfig';
import type { CollectionConfigJson } from '../privdata/collections';
import { invokeLifecycle, type LifecycleContext } from './lifecyclescc';
import { PrivateCopy } from './privatecopy';

const lb = peer.lifecycle;
const ORGS = ['AMSP', 'BMSP', 'CMSP'];

describe('_lifecycle (approve, readiness, commit, queries) on a real state database', () => {
  let dir: string;
  let db: StateDB;
  let store: ChaincodeStore;
  let copies: Map<string, PrivateCopy>;
  let block = 0;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-test-'));
    db = await StateDB.open(path.join(dir, 'state'));
    store = await ChaincodeStore.open(path.join(dir, 'chaincodes'));
    copies = new Map(ORGS.map((m) => [m, PrivateCopy.open(path.join(dir, m), db)]));
    block = 0;
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function ctx(mspId: string): LifecycleContext {
    return { mspId, orgMspIds: ORGS, hasDefaultEndorsementPolicy: true, store, references: () => new Map() };
  }

  /** Runs one invocation as `mspId`'s peer; with `commit`, applies its read-write set as a valid block would. */
  async function run(mspId: string, fn: string, arg: Uint8Array, commit = false): Promise<peer.Response> {
    const { proposal } = createChaincodeProposal({
      channelId: 'ch',
      chaincodeName: '_lifecycle',
      args: [Buffer.from(fn), arg],
      creator: Buffer.from(mspId),
    });
    const up = unpackProposal(
      signProposal(proposal, { serialize: () => Buffer.from(mspId), sign: () => Buffer.from('sig') }),
    );
    const sim = new TxSimulator(db, up.channelHeader.getTxId());
    const stub = new SccStub('_lifecycle', up, [Buffer.from(fn), arg], db, sim, copies.get(mspId));
    const response = await invokeLifecycle(stub, ctx(mspId));
    const results = stub.results();
    await sim.done();
    if (commit && response.getStatus() === 200) {
      copies.get(mspId)!.add(
        '_lifecycle',
        stub.privateWrites().filter((w) => w.collection === `_implicit_org_${mspId}`),
      );
      const batch = new UpdateBatch();
      block += 1;
      await applyWrites(batch, rwsetFromBytes(results), block, 0, db);
      await db.applyUpdates(batch, block);
    }
    return response;
  }

  function approveArgs(
    version: string,
    sequence: number,
    packageId = '',
    collections?: CollectionConfigJson[],
  ): Uint8Array {
    const a = new lb.ApproveChaincodeDefinitionForMyOrgArgs();
    if (collections) a.setCollections(collectionsToProto(collections));
    a.setName('cc');
    a.setVersion(version);
    a.setSequence(sequence);
    const src = new lb.ChaincodeSource();
    if (packageId) {
      const local = new lb.ChaincodeSource.Local();
      local.setPackageId(packageId);
      src.setLocalPackage(local);
    }
    a.setSource(src);
    return a.serializeBinary();
  }

  function commitArgs(version: string, sequence: number, collections?: CollectionConfigJson[]): Uint8Array {
    const a = new lb.CommitChaincodeDefinitionArgs();
    if (collections) a.setCollections(collectionsToProto(collections));
    a.setName('cc');
    a.setVersion(version);
    a.setSequence(sequence);
    return a.serializeBinary();
  }

  it("puts only hashes of an approval in the public read-write set, under the org's implicit collection", async () => {
    const { proposal } = createChaincodeProposal({
      channelId: 'ch',
      chaincodeName: '_lifecycle',
      args: [],
      creator: Buffer.from('AMSP'),
    });
    const up = unpackProposal(
      signProposal(proposal, { serialize: () => Buffer.from('AMSP'), sign: () => Buffer.from('s') }),
    );
    const sim = new TxSimulator(db, up.channelHeader.getTxId());
    const stub = new SccStub(
      '_lifecycle',
      up,
      [Buffer.from('ApproveChaincodeDefinitionForMyOrg'), approveArgs('1', 1)],
      db,
      sim,
    );
    expect((await invokeLifecycle(stub, ctx('AMSP'))).getStatus()).toBe(200);
    const results = stub.results();
    const tx = ledger.rwset.TxReadWriteSet.deserializeBinary(results);
    await sim.done();
    const ns = tx.getNsRwsetList().find((n) => n.getNamespace() === '_lifecycle')!;
    const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
    expect(kv.getWritesList()).toHaveLength(0);
    expect(kv.getReadsList().map((r) => r.getKey())).toEqual(['namespaces/fields/cc/Sequence']);
    expect(ns.getCollectionHashedRwsetList().map((c) => c.getCollectionName())).toEqual([
      '_implicit_org_AMSP',
    ]);
    const hashed = ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(
      ns.getCollectionHashedRwsetList()[0].getHashedRwset_asU8(),
    );
    // 3 parameter fields + metadata, package id field + metadata.
    expect(hashed.getHashedWritesList()).toHaveLength(6);
    expect(Buffer.from(results).includes(Buffer.from('namespaces/fields/cc#1'))).toBe(false);
    expect(stub.pvtResults()!.getNsPvtRwsetList()[0].getCollectionPvtRwsetList()[0].getCollectionName()).toBe(
      '_implicit_org_AMSP',
    );
  });

  it('reports readiness per org from the hashes, commits only what this org approved, and answers queries', async () => {
    expect(
      (await run('AMSP', 'ApproveChaincodeDefinitionForMyOrg', approveArgs('1', 1), true)).getMessage(),
    ).toBe('');
    const readiness = new lb.CheckCommitReadinessArgs();
    readiness.setName('cc');
    readiness.setVersion('1');
    readiness.setSequence(1);
    const r = await run('CMSP', 'CheckCommitReadiness', readiness.serializeBinary());
    expect(
      Object.fromEntries(
        lb.CheckCommitReadinessResult.deserializeBinary(r.getPayload_asU8()).getApprovalsMap().toArray(),
      ),
    ).toEqual({ AMSP: true, BMSP: false, CMSP: false });

    const refused = await run('BMSP', 'CommitChaincodeDefinition', commitArgs('1', 1));
    expect(refused.getStatus()).toBe(500);
    expect(refused.getMessage()).toBe(
      "failed to invoke backing implementation of 'CommitChaincodeDefinition': chaincode definition not agreed to by this org (BMSP)",
    );

    expect((await run('AMSP', 'CommitChaincodeDefinition', commitArgs('1', 1), true)).getStatus()).toBe(200);
    const q = new lb.QueryChaincodeDefinitionArgs();
    q.setName('cc');
    const got = lb.QueryChaincodeDefinitionResult.deserializeBinary(
      (await run('BMSP', 'QueryChaincodeDefinition', q.serializeBinary())).getPayload_asU8(),
    );
    expect([
      got.getSequence(),
      got.getVersion(),
      got.getEndorsementPlugin(),
      got.getValidationPlugin(),
    ]).toEqual([1, '1', 'escc', 'vscc']);
    expect(
      peer.ApplicationPolicy.deserializeBinary(
        got.getValidationParameter_asU8(),
      ).getChannelConfigPolicyReference(),
    ).toBe('/Channel/Application/Endorsement');

    const all = lb.QueryApprovedChaincodeDefinitionsResult.deserializeBinary(
      (
        await run(
          'AMSP',
          'QueryApprovedChaincodeDefinitions',
          new lb.QueryApprovedChaincodeDefinitionsArgs().serializeBinary(),
        )
      ).getPayload_asU8(),
    );
    expect(
      all.getApprovedChaincodeDefinitionsList().map((d) => [d.getName(), d.getSequence(), d.getVersion()]),
    ).toEqual([['cc', 1, '1']]);
    const none = lb.QueryApprovedChaincodeDefinitionsResult.deserializeBinary(
      (
        await run(
          'BMSP',
          'QueryApprovedChaincodeDefinitions',
          new lb.QueryApprovedChaincodeDefinitionsArgs().serializeBinary(),
        )
      ).getPayload_asU8(),
    );
    expect(none.getApprovedChaincodeDefinitionsList()).toHaveLength(0);

    q.setName('other');
    const missing = await run('BMSP', 'QueryChaincodeDefinition', q.serializeBinary());
    expect([missing.getStatus(), missing.getMessage()]).toEqual([404, 'namespace other is not defined']);
  });

  it("gives the peer the definition with the package its org approved and that package's server", async () => {
    const pkg = await writeCcaasPackage(path.join(dir, 'p.tar.gz'), 'cc_1', {
      address: '127.0.0.1:9999',
      dial_timeout: '10s',
      tls_required: true,
      root_cert: 'PEM',
    });
    await store.install(fs.readFileSync(pkg.file));
    await run('AMSP', 'ApproveChaincodeDefinitionForMyOrg', approveArgs('1', 1, pkg.packageId), true);
    await run('BMSP', 'ApproveChaincodeDefinitionForMyOrg', approveArgs('1', 1), true);
    await run('AMSP', 'CommitChaincodeDefinition', commitArgs('1', 1), true);

    const cacheOf = async (mspId: string): Promise<LifecycleCache> => {
      const cache = new LifecycleCache({
        channelId: 'ch',
        state: db,
        mspId,
        store,
        privateCopy: copies.get(mspId)!,
      });
      await cache.reload();
      return cache;
    };
    const a = (await cacheOf('AMSP')).get('cc')!;
    expect([a.sequence, a.version, a.packageId, a.endorsementPolicy.channelConfigPolicy]).toEqual([
      1,
      '1',
      pkg.packageId,
      '/Channel/Application/Endorsement',
    ]);
    expect(a.server?.address).toBe('127.0.0.1:9999');
    expect(fs.readFileSync(a.server!.rootCertPath!, 'utf8')).toBe('PEM');
    const b = (await cacheOf('BMSP')).get('cc')!;
    expect([b.packageId, b.server]).toEqual(['', undefined]);
    expect((await cacheOf('CMSP')).get('_lifecycle')!.endorsementPolicy.channelConfigPolicy).toBe(
      '/Channel/Application/LifecycleEndorsement',
    );
  });

  it("keeps Fabric's collection rules: members in the channel, no committed collection dropped, blockToLive fixed", async () => {
    const c1 = { name: 'c1', policy: "OR('AMSP.member', 'BMSP.member')", blockToLive: 5 };
    const stranger = await run(
      'AMSP',
      'ApproveChaincodeDefinitionForMyOrg',
      approveArgs('1', 1, '', [{ ...c1, policy: "OR('ZMSP.member')" }]),
    );
    expect(stranger.getMessage()).toMatch(
      /collection-name: c1 -- collection member 'ZMSP' is not part of the channel$/,
    );

    await run('AMSP', 'ApproveChaincodeDefinitionForMyOrg', approveArgs('1', 1, '', [c1]), true);
    await run('BMSP', 'ApproveChaincodeDefinitionForMyOrg', approveArgs('1', 1, '', [c1]), true);
    expect(
      (await run('AMSP', 'CommitChaincodeDefinition', commitArgs('1', 1, [c1]), true)).getMessage(),
    ).toBe('');

    const dropped = await run('AMSP', 'ApproveChaincodeDefinitionForMyOrg', approveArgs('2', 2));
    expect(dropped.getMessage()).toMatch(
      /the proposed collection config does not contain previously defined collections$/,
    );
    const btl = await run(
      'AMSP',
      'ApproveChaincodeDefinitionForMyOrg',
      approveArgs('2', 2, '', [{ ...c1, blockToLive: 6 }]),
    );
    expect(btl.getMessage()).toMatch(
      /the BlockToLive in an existing collection \[c1\] modified. Existing value \[5\]$/,
    );
    const added = await run(
      'AMSP',
      'ApproveChaincodeDefinitionForMyOrg',
      approveArgs('2', 2, '', [c1, { ...c1, name: 'c2' }]),
    );
    expect(added.getStatus()).toBe(200);
  });
});
