import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { hashedKey, hashOf } from '../ledger/pvtdatastorage/namespaces';
import { serializeMetadata } from '../ledger/txmgr/statemetadata';
import { fromString } from '../policies/policydsl';
import { KeyLevelValidationParameterManager, metadataWritesOf, VALIDATION_PARAMETER } from './statebased';
import { ValidationParameterUpdatedError } from './vscc';

/** An endorser transaction envelope whose rwset writes metadata of `publicKeys` and of private `pvtKeys`. */
function envelope(
  ns: string,
  publicKeys: string[],
  pvtKeys: { coll: string; key: string }[] = [],
): Uint8Array {
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  for (const key of publicKeys) {
    const mw = new ledger.rwset.kvrwset.KVMetadataWrite();
    mw.setKey(key);
    kv.addMetadataWrites(mw);
  }
  const nsrw = new ledger.rwset.NsReadWriteSet();
  nsrw.setNamespace(ns);
  nsrw.setRwset(kv.serializeBinary());
  for (const { coll, key } of pvtKeys) {
    const h = new ledger.rwset.kvrwset.HashedRWSet();
    const mw = new ledger.rwset.kvrwset.KVMetadataWriteHash();
    mw.setKeyHash(hashOf(key));
    h.addMetadataWrites(mw);
    const c = new ledger.rwset.CollectionHashedReadWriteSet();
    c.setCollectionName(coll);
    c.setHashedRwset(h.serializeBinary());
    nsrw.addCollectionHashedRwset(c);
  }
  const rw = new ledger.rwset.TxReadWriteSet();
  rw.addNsRwset(nsrw);
  const action = new peer.ChaincodeAction();
  action.setResults(rw.serializeBinary());
  const prp = new peer.ProposalResponsePayload();
  prp.setExtension$(action.serializeBinary());
  const cea = new peer.ChaincodeEndorsedAction();
  cea.setProposalResponsePayload(prp.serializeBinary());
  const cap = new peer.ChaincodeActionPayload();
  cap.setAction(cea);
  const ta = new peer.TransactionAction();
  ta.setPayload(cap.serializeBinary());
  const tx = new peer.Transaction();
  tx.addActions(ta);
  const chdr = new common.ChannelHeader();
  chdr.setType(common.HeaderType.ENDORSER_TRANSACTION);
  const hdr = new common.Header();
  hdr.setChannelHeader(chdr.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(hdr);
  payload.setData(tx.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env.serializeBinary();
}

function block(num: number, envs: Uint8Array[]): common.Block {
  const b = new common.Block();
  const h = new common.BlockHeader();
  h.setNumber(num);
  b.setHeader(h);
  const d = new common.BlockData();
  d.setDataList(envs);
  b.setData(d);
  return b;
}

function metadataWithPolicy(policy: string): Uint8Array {
  return serializeMetadata([{ name: VALIDATION_PARAMETER, value: fromString(policy).serializeBinary() }]);
}

/** A manager over an in-memory state; policies are tagged with the envelope's identities for assertions. */
function manager(state: Record<string, Uint8Array>) {
  const compiled: common.SignaturePolicyEnvelope[] = [];
  const m = new KeyLevelValidationParameterManager({
    state: {
      get: async (ns, key) => (state[`${ns}/${key}`] ? { metadata: state[`${ns}/${key}`] } : undefined),
    },
    newPolicy: (env) => {
      compiled.push(env);
      return { evaluate: () => undefined };
    },
  });
  return { m, compiled };
}

describe('KeyLevelValidationParameterManager', () => {
  it('returns no policy for a key without VALIDATION_PARAMETER, and the compiled policy for one with it', async () => {
    const { m, compiled } = manager({ 'cc/k1': metadataWithPolicy("OR('Org1MSP.peer')") });
    expect(await m.policyForKey('cc', 'k0', 5, 0)).toBeUndefined();
    expect(await m.policyForKey('cc', 'k1', 5, 0)).toBeDefined();
    expect(compiled).toHaveLength(1);
    expect(compiled[0].getIdentitiesList()).toHaveLength(1);
  });

  it('reads a private key policy from the collection hashed state by key hash', async () => {
    const kh = hashedKey(hashOf('secret'));
    const { m } = manager({ [`cc$$hcoll/${kh}`]: metadataWithPolicy("OR('Org2MSP.peer')") });
    expect(await m.policyForKey('cc', kh, 3, 0, 'coll')).toBeDefined();
    expect(await m.policyForKey('cc', kh, 3, 0)).toBeUndefined();
  });

  it('refuses a key whose parameter a VALID earlier transaction of the block changed (Fabric text)', async () => {
    const { m } = manager({});
    m.prepareBlock(block(7, [envelope('cc', ['k']), envelope('cc', ['k'])]));
    const later = m.policyForKey('cc', 'k', 7, 1);
    m.setTxValidationResult(7, 0, true);
    await expect(later).rejects.toThrow(ValidationParameterUpdatedError);
    await expect(m.policyForKey('cc', 'k', 7, 1)).rejects.toThrow(
      'validation parameters for key [k] in namespace [cc:] have been changed in transaction 1 of block 7',
    );
  });

  it('waits for the earlier transaction and accepts the key when that transaction was invalid', async () => {
    const { m } = manager({});
    m.prepareBlock(block(8, [envelope('cc', ['k']), envelope('cc', [])]));
    let settled = false;
    const later = m.policyForKey('cc', 'k', 8, 1).then((p) => {
      settled = true;
      return p;
    });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    m.setTxValidationResult(8, 0, false);
    expect(await later).toBeUndefined();
  });

  it('ignores metadata writes of later transactions and of other keys', async () => {
    const { m } = manager({});
    m.prepareBlock(block(9, [envelope('cc', ['other']), envelope('cc', ['k']), envelope('cc', ['k'])]));
    m.setTxValidationResult(9, 0, true);
    expect(await m.policyForKey('cc', 'k', 9, 1)).toBeUndefined();
  });

  it('tracks private metadata writes by collection and key hash', async () => {
    const { m } = manager({});
    m.prepareBlock(block(10, [envelope('cc', [], [{ coll: 'c1', key: 'pk' }]), envelope('cc', [])]));
    m.setTxValidationResult(10, 0, true);
    await expect(m.policyForKey('cc', hashedKey(hashOf('pk')), 10, 1, 'c1')).rejects.toThrow(
      ValidationParameterUpdatedError,
    );
    expect(await m.policyForKey('cc', hashedKey(hashOf('pk')), 10, 1, 'c2')).toBeUndefined();
  });

  it('metadataWritesOf: [] for bytes that are not an endorser transaction', () => {
    expect(metadataWritesOf(Buffer.from('not an envelope'))).toEqual([]);
  });
});
