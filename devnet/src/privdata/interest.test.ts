import { ledger, peer } from '@hyperledger/fabric-protos';
import { hashedKey, hashedNamespace, hashOf } from '../ledger/pvtdatastorage/namespaces';
import { serializeMetadata } from '../ledger/txmgr/statemetadata';
import { fromString } from '../policies/policydsl';
import { buildChaincodeInterest, collectionMemberOrgs, collectionOf } from './interest';
import { PvtRWSetBuilder, mergeHashedRwSets } from './pvtrwsetbuilder';

function sbe(policy: string): Uint8Array {
  return serializeMetadata([{ name: 'VALIDATION_PARAMETER', value: fromString(policy).serializeBinary() }]);
}

/** A TxReadWriteSet of namespace cc: public writes `pub`, private writes `pvt` (coll → keys), private reads `reads`. */
function rwset(
  pub: string[],
  pvt: Record<string, string[]> = {},
  reads: Record<string, string[]> = {},
): ledger.rwset.TxReadWriteSet {
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  for (const k of pub) {
    const w = new ledger.rwset.kvrwset.KVWrite();
    w.setKey(k);
    w.setValue(Buffer.from('v'));
    kv.addWrites(w);
  }
  const ns = new ledger.rwset.NsReadWriteSet();
  ns.setNamespace('cc');
  ns.setRwset(kv.serializeBinary());
  const tx = new ledger.rwset.TxReadWriteSet();
  tx.addNsRwset(ns);
  const b = new PvtRWSetBuilder();
  for (const [c, keys] of Object.entries(pvt))
    for (const k of keys) b.addToPvtAndHashedWriteSet('cc', c, k, Buffer.from('v'));
  for (const [c, keys] of Object.entries(reads))
    for (const k of keys) b.addToHashedReadSet('cc', c, k, undefined);
  if (!b.isEmpty()) mergeHashedRwSets(tx, b.build().hashed);
  return tx;
}

const state = (md: Record<string, Uint8Array>) => ({
  get: async (ns: string, key: string) => (md[`${ns}/${key}`] ? { metadata: md[`${ns}/${key}`] } : undefined),
});
const calls = (i: peer.ChaincodeInterest) =>
  i.getChaincodesList().map((c) => ({
    name: c.getName(),
    colls: c.getCollectionNamesList(),
    noPrivateReads: c.getNoPrivateReads(),
    disregard: c.getDisregardNamespacePolicy(),
    keyPolicies: c.getKeyPoliciesList().length,
  }));

describe('buildChaincodeInterest', () => {
  it('a plain write needs the chaincode policy', async () => {
    expect(calls(await buildChaincodeInterest(rwset(['k']), state({})))).toEqual([
      { name: 'cc', colls: [], noPrivateReads: false, disregard: false, keyPolicies: 0 },
    ]);
  });

  it('writes only to keys with a key policy: key policies, chaincode policy disregarded', async () => {
    const i = await buildChaincodeInterest(rwset(['k']), state({ 'cc/k': sbe("OR('Org2MSP.peer')") }));
    expect(calls(i)).toEqual([
      { name: 'cc', colls: [], noPrivateReads: false, disregard: true, keyPolicies: 1 },
    ]);
  });

  it('a private write is a collection call without private reads; a private read sets the flag off', async () => {
    expect(calls(await buildChaincodeInterest(rwset([], { c1: ['p'] }), state({})))).toEqual([
      { name: 'cc', colls: ['c1'], noPrivateReads: true, disregard: false, keyPolicies: 0 },
    ]);
    expect(calls(await buildChaincodeInterest(rwset([], {}, { c1: ['p'] }), state({})))).toEqual([
      { name: 'cc', colls: [], noPrivateReads: false, disregard: false, keyPolicies: 0 },
      { name: 'cc', colls: ['c1'], noPrivateReads: false, disregard: false, keyPolicies: 0 },
    ]);
  });

  it('a private key with a key policy contributes the key policy instead of the collection call', async () => {
    const md = { [`${hashedNamespace('cc', 'c1')}/${hashedKey(hashOf('p'))}`]: sbe("OR('Org1MSP.peer')") };
    expect(calls(await buildChaincodeInterest(rwset([], { c1: ['p'] }), state(md)))).toEqual([
      { name: 'cc', colls: [], noPrivateReads: false, disregard: true, keyPolicies: 1 },
    ]);
  });
});

describe('collectionMemberOrgs', () => {
  const interest = (noPrivateReads: boolean, collection = 'c1'): peer.ChaincodeInterest => {
    const call = new peer.ChaincodeCall();
    call.setName('cc');
    call.setCollectionNamesList([collection]);
    call.setNoPrivateReads(noPrivateReads);
    const i = new peer.ChaincodeInterest();
    i.addChaincodes(call);
    return i;
  };
  const configs = () => [{ name: 'c1', policy: "OR('Org1MSP.member','Org2MSP.member')" }];

  it('restricts endorsers to collection members after private reads, or writes with transient data', () => {
    expect(collectionMemberOrgs(interest(false), configs, false)).toEqual(new Set(['Org1MSP', 'Org2MSP']));
    expect(collectionMemberOrgs(interest(true), configs, true)).toEqual(new Set(['Org1MSP', 'Org2MSP']));
  });

  it('does not restrict blind private writes without transient data, nor implicit-free interests', () => {
    expect(collectionMemberOrgs(interest(true), configs, false)).toBeUndefined();
    expect(collectionMemberOrgs(undefined, configs, true)).toBeUndefined();
    expect(collectionMemberOrgs(interest(false), () => undefined, false)).toEqual(new Set());
  });

  it("restricts a transient write to an implicit collection to its organisation, as discovery knows it (Fabric's MetadataProvider)", () => {
    expect(collectionMemberOrgs(interest(true, '_implicit_org_Org2MSP'), configs, true)).toEqual(
      new Set(['Org2MSP']),
    );
    expect(collectionMemberOrgs(interest(true, '_implicit_org_Org2MSP'), configs, false)).toBeUndefined();
  });
});

describe('collectionOf', () => {
  it("gives an implicit collection its organisation's members as member orgs and endorsement policy", () => {
    const c = collectionOf(undefined, '_implicit_org_Org2MSP');
    expect(c).toMatchObject({ name: '_implicit_org_Org2MSP', memberOrgs: ['Org2MSP'], implicit: true });
    expect(c?.endorsementPolicy?.signaturePolicy?.serializeBinary()).toEqual(
      fromString("OR('Org2MSP.member')").serializeBinary(),
    );
  });

  it('finds an explicit collection by name, and nothing for an unknown one', () => {
    const configs = [{ name: 'c1', policy: "OR('Org1MSP.member')" }];
    expect(collectionOf(configs, 'c1')).toMatchObject({
      name: 'c1',
      memberOrgs: ['Org1MSP'],
      implicit: false,
    });
    expect(collectionOf(configs, 'c2')).toBeUndefined();
  });
});
