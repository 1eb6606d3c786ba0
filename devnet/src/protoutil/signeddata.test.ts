import { common } from '@hyperledger/fabric-protos';
import { blockHeaderBytes, blockSignaturesAsSignedData, newBlock, setMetadataEntry } from './blockutils';
import { envelopeAsSignedData } from './signeddata';
import { createSignedEnvelope } from './txutils';

const signer = {
  serialize: () => Buffer.from('orderer-id'),
  sign: (m: Uint8Array) => Buffer.from(m).subarray(0, 4),
};

describe('SignedData extraction', () => {
  it('an envelope is signed over its payload bytes by the signature header creator', () => {
    const env = createSignedEnvelope({
      type: common.HeaderType.DELIVER_SEEK_INFO,
      channelId: 'egov',
      signer,
      data: Buffer.from('seek'),
    });
    const [sd] = envelopeAsSignedData(env);
    expect(Buffer.from(sd.data).equals(Buffer.from(env.getPayload_asU8()))).toBe(true);
    expect(Buffer.from(sd.identity).toString()).toBe('orderer-id');
    expect(Buffer.from(sd.signature).equals(Buffer.from(env.getPayload_asU8()).subarray(0, 4))).toBe(true);
  });

  it('block signatures cover metadata value ‖ signature header ‖ header DER (fabric BlockSignatureVerifier)', () => {
    const block = newBlock(4, Buffer.alloc(32, 1));
    const shdr = new common.SignatureHeader();
    shdr.setCreator(Buffer.from('orderer-id'));
    shdr.setNonce(Buffer.from('nonce'));
    const ms = new common.MetadataSignature();
    ms.setSignatureHeader(shdr.serializeBinary());
    ms.setSignature(Buffer.from('sig'));
    const md = new common.Metadata();
    md.setValue(Buffer.from('obm'));
    md.setSignaturesList([ms]);
    setMetadataEntry(block, common.BlockMetadataIndex.SIGNATURES, md.serializeBinary());
    const [sd] = blockSignaturesAsSignedData(block);
    const expected = Buffer.concat([
      Buffer.from('obm'),
      shdr.serializeBinary(),
      blockHeaderBytes(block.getHeader()!),
    ]);
    expect(Buffer.from(sd.data).equals(expected)).toBe(true);
    expect(Buffer.from(sd.identity).toString()).toBe('orderer-id');
    expect(Buffer.from(sd.signature).toString()).toBe('sig');
  });
});
