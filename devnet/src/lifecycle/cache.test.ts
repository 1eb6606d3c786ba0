import { common, peer } from '@hyperledger/fabric-protos';
import { LifecycleCache, touchesLifecycle } from './cache';

/** An endorser transaction envelope naming `chaincode` in its header (all a commit listener looks at). */
function tx(chaincode: string): Uint8Array {
  const id = new peer.ChaincodeID();
  id.setName(chaincode);
  const ext = new peer.ChaincodeHeaderExtension();
  ext.setChaincodeId(id);
  const chdr = new common.ChannelHeader();
  chdr.setType(common.HeaderType.ENDORSER_TRANSACTION);
  chdr.setExtension$(ext.serializeBinary());
  const hdr = new common.Header();
  hdr.setChannelHeader(chdr.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(hdr);
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env.serializeBinary();
}

function block(...txs: Uint8Array[]): common.Block {
  const b = new common.Block();
  const data = new common.BlockData();
  data.setDataList(txs);
  b.setData(data);
  return b;
}

const V = peer.TxValidationCode.VALID;
const BAD = peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;

describe('LifecycleCache', () => {
  it('reloads only after a block with a valid _lifecycle transaction (chaincode transactions only read _lifecycle)', () => {
    expect(touchesLifecycle(block(tx('egov'), tx('egov')), Uint8Array.from([V, V]))).toBe(false);
    expect(touchesLifecycle(block(tx('egov'), tx('_lifecycle')), Uint8Array.from([V, V]))).toBe(true);
    expect(touchesLifecycle(block(tx('_lifecycle')), Uint8Array.from([BAD]))).toBe(false);
    expect(touchesLifecycle(block(Buffer.from('garbage')), Uint8Array.from([V]))).toBe(false);
  });

  it('validates _lifecycle itself with the channel LifecycleEndorsement policy', () => {
    const def = LifecycleCache.lifecycleDefinition();
    expect([def.name, def.version, def.endorsementPolicy.channelConfigPolicy]).toEqual([
      '_lifecycle',
      'syscc',
      '/Channel/Application/LifecycleEndorsement',
    ]);
  });
});
