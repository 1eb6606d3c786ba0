import { createHash } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { derInteger, derOctetString, derSequence } from './der';
import type { SignedData } from './signeddata';
import { readEnvelopeHeaders } from './views';

/** Number of block metadata entries (SIGNATURES, LAST_CONFIG, TRANSACTIONS_FILTER, ORDERER, COMMIT_HASH). */
export const BLOCK_METADATA_ENTRIES = common.BlockMetadataIndex.COMMIT_HASH + 1;

/** SHA-256 of `data`. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/**
 * The bytes Fabric hashes and signs for a block header: ASN.1 DER of
 * `SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }`
 * (fabric protoutil/blockutils.go, BlockHeaderBytes).
 */
export function blockHeaderBytes(header: common.BlockHeader): Uint8Array {
  return derSequence(
    derInteger(BigInt(header.getNumber())),
    derOctetString(header.getPreviousHash_asU8()),
    derOctetString(header.getDataHash_asU8()),
  );
}

/** SHA-256 of {@link blockHeaderBytes}: the value the next block's previous_hash must carry. */
export function blockHeaderHash(header: common.BlockHeader): Uint8Array {
  return sha256(blockHeaderBytes(header));
}

/** SHA-256 of the concatenation of the block's data entries (fabric ComputeBlockDataHash). */
export function blockDataHash(data: common.BlockData): Uint8Array {
  return sha256(...data.getDataList_asU8());
}

/**
 * A block with the given number and previous hash, empty data, an empty data_hash and the 5
 * empty metadata entries (fabric NewBlock). Add envelopes, then set data_hash with
 * {@link blockDataHash}.
 */
export function newBlock(number: number, previousHash: Uint8Array): common.Block {
  const header = new common.BlockHeader();
  header.setNumber(number);
  header.setPreviousHash(previousHash);
  header.setDataHash(new Uint8Array(0));
  const block = new common.Block();
  block.setHeader(header);
  block.setData(new common.BlockData());
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList(Array.from({ length: BLOCK_METADATA_ENTRIES }, () => new Uint8Array(0)));
  block.setMetadata(metadata);
  return block;
}

/** Pads the block's metadata to the 5 entries Fabric expects (fabric InitBlockMetadata). */
export function initBlockMetadata(block: common.Block): void {
  let metadata = block.getMetadata();
  if (!metadata) {
    metadata = new common.BlockMetadata();
    block.setMetadata(metadata);
  }
  const list = metadata.getMetadataList_asU8();
  while (list.length < BLOCK_METADATA_ENTRIES) list.push(new Uint8Array(0));
  metadata.setMetadataList(list);
}

/** The metadata entry at `index` unmarshalled as common.Metadata; throws when it is absent. */
export function getMetadataFromBlock(block: common.Block, index: number): common.Metadata {
  const list = block.getMetadata()?.getMetadataList_asU8() ?? [];
  if (list.length <= index) {
    throw new Error(`block ${block.getHeader()?.getNumber()} has no metadata at index ${index}`);
  }
  return common.Metadata.deserializeBinary(list[index]);
}

/** Replaces the metadata entry at `index` (padding to 5 entries first). */
export function setMetadataEntry(block: common.Block, index: number, value: Uint8Array): void {
  initBlockMetadata(block);
  const metadata = block.getMetadata()!;
  const list = metadata.getMetadataList_asU8();
  list[index] = value;
  metadata.setMetadataList(list);
}

/**
 * The index of the last config block: from OrdererBlockMetadata in SIGNATURES, else from the
 * legacy LAST_CONFIG entry (fabric GetLastConfigIndexFromBlock).
 */
export function getLastConfigIndexFromBlock(block: common.Block): number {
  const signatures = getMetadataFromBlock(block, common.BlockMetadataIndex.SIGNATURES);
  if (signatures.getValue_asU8().length === 0) {
    const legacy = getMetadataFromBlock(block, common.BlockMetadataIndex.LAST_CONFIG);
    return common.LastConfig.deserializeBinary(legacy.getValue_asU8()).getIndex();
  }
  const obm = common.OrdererBlockMetadata.deserializeBinary(signatures.getValue_asU8());
  return obm.getLastConfig()?.getIndex() ?? 0;
}

/**
 * The orderer's block signatures as SignedData, each over `value ‖ signature_header ‖ header bytes`,
 * ready for `/Channel/Orderer/BlockValidation` (fabric BlockSignatureVerifier, non-BFT path).
 */
export function blockSignaturesAsSignedData(block: common.Block): SignedData[] {
  const header = block.getHeader();
  if (!header) throw new Error('block has no header');
  const md = getMetadataFromBlock(block, common.BlockMetadataIndex.SIGNATURES);
  const headerBytes = blockHeaderBytes(header);
  return md.getSignaturesList().map((sig) => {
    const shdrBytes = sig.getSignatureHeader_asU8();
    const shdr = common.SignatureHeader.deserializeBinary(shdrBytes);
    return {
      data: Buffer.concat([md.getValue_asU8(), shdrBytes, headerBytes]),
      identity: shdr.getCreator_asU8(),
      signature: sig.getSignature_asU8(),
    };
  });
}

/** Whether the block's data is a single CONFIG envelope (fabric IsConfigBlock). */
export function isConfigBlock(block: common.Block): boolean {
  const data = block.getData()?.getDataList_asU8() ?? [];
  if (data.length !== 1) return false;
  try {
    return readEnvelopeHeaders(data[0]).channelHeader?.type === common.HeaderType.CONFIG;
  } catch {
    return false;
  }
}

/**
 * The channel id in the channel header of a block's first envelope (fabric GetChannelIDFromBlock).
 * Throws when the block has no envelope or it does not decode.
 */
export function getChannelIdFromBlock(block: common.Block): string {
  const channelHeader = readEnvelopeHeaders(block.getData()!.getDataList_asU8()[0]).channelHeader;
  if (!channelHeader) throw new Error('envelope payload has no header');
  return channelHeader.channelId;
}
