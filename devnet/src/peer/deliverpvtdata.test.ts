import { ledger } from '@hyperledger/fabric-protos';
import type { StoredPvtData } from '../ledger/pvtdatastorage';
import { parseCollectionsConfig, type Collection } from '../privdata/collections';
import type { SignedData } from '../protoutil/signeddata';
import { blockPrivateDataSource, type BlockPrivateDataSources } from './deliverpvtdata';

const colls = parseCollectionsConfig([
  { name: 'membersOnly', policy: "OR('Org1MSP.member')", memberOnlyRead: true },
  { name: 'open', policy: "OR('Org1MSP.member')" },
]);

function writeSet(collections: string[]): ledger.rwset.TxPvtReadWriteSet {
  const n = new ledger.rwset.NsPvtReadWriteSet();
  n.setNamespace('cc');
  n.setCollectionPvtRwsetList(
    collections.map((name) => {
      const c = new ledger.rwset.CollectionPvtReadWriteSet();
      c.setCollectionName(name);
      c.setRwset(new ledger.rwset.kvrwset.KVRWSet().serializeBinary());
      return c;
    }),
  );
  const tx = new ledger.rwset.TxPvtReadWriteSet();
  tx.addNsPvtRwset(n);
  return tx;
}

/** A client is "Org1" when its identity bytes say so (stand-in for the member orgs policy). */
const client = (org: string): SignedData[] => [
  { data: new Uint8Array(0), identity: Buffer.from(org), signature: new Uint8Array(0) },
];

function sources(
  stored: StoredPvtData[],
  known: Collection[] = colls,
): BlockPrivateDataSources & { evaluated: string[] } {
  const evaluated: string[] = [];
  return {
    evaluated,
    store: { getBlock: async (n) => stored.filter((s) => s.blockNum === n) },
    resolver: {
      collection: (_cc, name) => known.find((c) => c.name === name),
      memberPolicy: (c) => ({
        evaluate: (sd) => {
          evaluated.push(c.name);
          if (Buffer.from(sd[0].identity).toString() !== 'Org1') throw new Error('policy not satisfied');
        },
      }),
    },
  };
}

const collectionsOf = (
  m: ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>,
  seq: number,
): string[] | undefined =>
  m
    .get(seq)
    ?.getNsPvtRwsetList()
    .flatMap((n) => n.getCollectionPvtRwsetList().map((c) => c.getCollectionName()));

describe('blockPrivateDataSource', () => {
  const stored: StoredPvtData[] = [
    { txId: 'a', blockNum: 4, txNum: 0, pvt: writeSet(['membersOnly', 'open']) },
    { txId: 'b', blockNum: 4, txNum: 2, pvt: writeSet(['membersOnly']) },
    { txId: 'c', blockNum: 5, txNum: 0, pvt: writeSet(['open']) },
  ];

  it('gives a member client every collection, keyed by tx sequence in the block', async () => {
    const m = await blockPrivateDataSource(sources(stored))(4, client('Org1'));
    expect([...m.keys()]).toEqual([0, 2]);
    expect(collectionsOf(m, 0)).toEqual(['membersOnly', 'open']);
    expect(collectionsOf(m, 2)).toEqual(['membersOnly']);
  });

  it('gives a non-member only the collections without memberOnlyRead, and omits txs left empty', async () => {
    const src = sources(stored);
    const m = await blockPrivateDataSource(src)(4, client('Org2'));
    expect([...m.keys()]).toEqual([0]);
    expect(collectionsOf(m, 0)).toEqual(['open']);
    // The member policy is checked once per collection and block, and never for an open collection.
    expect(src.evaluated).toEqual(['membersOnly']);
  });

  it('gives nothing for a block without stored private data', async () => {
    expect((await blockPrivateDataSource(sources(stored))(9, client('Org1'))).size).toBe(0);
  });

  it('fails for a collection the chaincode does not define (Fabric: no collection config was found)', async () => {
    await expect(blockPrivateDataSource(sources(stored, []))(5, client('Org1'))).rejects.toThrow(
      'no collection config was found for collection open for chaincode cc',
    );
  });
});
