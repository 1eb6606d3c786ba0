import { createHash } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import {
  blockDataHash,
  blockHeaderBytes,
  blockHeaderHash,
  BLOCK_METADATA_ENTRIES,
  getLastConfigIndexFromBlock,
  initBlockMetadata,
  isConfigBlock,
  newBlock,
} from './blockutils';
import { derInteger } from './der';

function header(number: number, prev: Uint8Array, data: Uint8Array): common.BlockHeader {
  const h = new common.BlockHeader();
  h.setNumber(number);
  h.setPreviousHash(prev);
  h.setDataHash(data);
  return h;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('blockHeaderBytes / blockHeaderHash', () => {
  // Vectors computed with Go's encoding/asn1 exactly as fabric protoutil.BlockHeaderBytes does
  // (asn1.Marshal(struct{Number *big.Int; PreviousHash, DataHash []byte})), then sha256.Sum256.
  it.each([
    // number 0, nil/empty hashes: INTEGER 02 01 00, empty OCTET STRINGs 04 00
    [0, '', '', '300702010004000400', '1d1c288c6851505be0b47a0f8e7dfb91ab2abe6ad71cef63a3791d14588d1d0e'],
    // fabric's own test header {1, "foo", "bar"}
    [
      1,
      '666f6f',
      '626172',
      '300d0201010403666f6f0403626172',
      'e93c1382cc0ad21a64ae3286fd3ec883e2da582a793eb7b255954370b90a6b5b',
    ],
    // 128 has its top bit set: DER prepends 0x00 (02 02 00 80); 32-byte previous hash
    [
      128,
      '00'.repeat(32),
      '626172',
      '302b02020080' + '0420' + '00'.repeat(32) + '0403626172',
      'df088300d81a46d3922e22ab44ccd25c290c1b1fd4ef30d5dbcc2636d0622133',
    ],
  ])('block %d matches Go encoding/asn1', (n, prev, data, der, hash) => {
    const h = header(n, Buffer.from(prev, 'hex'), Buffer.from(data, 'hex'));
    expect(hex(blockHeaderBytes(h))).toBe(der);
    expect(hex(blockHeaderHash(h))).toBe(hash);
  });

  it('encodes the largest uint64 like Go (9 bytes, leading zero)', () => {
    expect(hex(derInteger(18446744073709551615n))).toBe('020900ffffffffffffffff');
  });

  it('changes when any field changes', () => {
    const a = blockHeaderHash(header(5, Buffer.from('p'), Buffer.from('d')));
    expect(hex(blockHeaderHash(header(6, Buffer.from('p'), Buffer.from('d'))))).not.toBe(hex(a));
    expect(hex(blockHeaderHash(header(5, Buffer.from('q'), Buffer.from('d'))))).not.toBe(hex(a));
    expect(hex(blockHeaderHash(header(5, Buffer.from('p'), Buffer.from('e'))))).not.toBe(hex(a));
  });
});

describe('blockDataHash', () => {
  it('is SHA-256 of the concatenated entries', () => {
    const data = new common.BlockData();
    data.setDataList([Buffer.from('ab'), Buffer.from('c')]);
    expect(hex(blockDataHash(data))).toBe(createHash('sha256').update('abc').digest('hex'));
  });
});

describe('newBlock / initBlockMetadata', () => {
  it('creates 5 empty metadata entries and keeps the previous hash', () => {
    const b = newBlock(3, Buffer.from('prev'));
    expect(BLOCK_METADATA_ENTRIES).toBe(5);
    expect(b.getMetadata()!.getMetadataList_asU8()).toHaveLength(5);
    expect(Buffer.from(b.getHeader()!.getPreviousHash_asU8()).toString()).toBe('prev');
    expect(b.getHeader()!.getNumber()).toBe(3);
  });

  it('pads short metadata to 5 entries without touching existing ones', () => {
    const b = new common.Block();
    const md = new common.BlockMetadata();
    md.setMetadataList([Buffer.from('x')]);
    b.setMetadata(md);
    initBlockMetadata(b);
    const list = b.getMetadata()!.getMetadataList_asU8();
    expect(list).toHaveLength(5);
    expect(Buffer.from(list[0]).toString()).toBe('x');
  });

  it('reads the last config index from OrdererBlockMetadata', () => {
    const b = newBlock(9, new Uint8Array(0));
    const lc = new common.LastConfig();
    lc.setIndex(7);
    const obm = new common.OrdererBlockMetadata();
    obm.setLastConfig(lc);
    const md = new common.Metadata();
    md.setValue(obm.serializeBinary());
    const list = b.getMetadata()!.getMetadataList_asU8();
    list[common.BlockMetadataIndex.SIGNATURES] = md.serializeBinary();
    b.getMetadata()!.setMetadataList(list);
    expect(getLastConfigIndexFromBlock(b)).toBe(7);
    expect(isConfigBlock(b)).toBe(false);
  });
});
