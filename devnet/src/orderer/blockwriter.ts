import { common } from '@hyperledger/fabric-protos';
import type { BlockStore } from '../ledger/blockstore/blockstore';
import {
  blockDataHash,
  blockHeaderBytes,
  blockHeaderHash,
  getLastConfigIndexFromBlock,
  newBlock,
} from '../protoutil/blockutils';
import { newNonce } from '../protoutil/txid';
import { recordBlockWritten } from '../metrics/ledger';
import { envelopeBytes } from './wire';

/** The orderer's signing identity as the block writer needs it (msp.SigningIdentity satisfies this). */
export interface Signer {
  serialize(): Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/**
 * Builds and writes the orderer's blocks (fabric orderer/common/multichannel/blockwriter.go):
 * number = previous + 1, previous_hash = hash of the previous header, data_hash, then on write
 * LAST_CONFIG and the orderer's signature in SIGNATURES. TRANSACTIONS_FILTER stays empty, as Fabric's
 * orderer leaves it: each peer writes its own validation codes there. Blocks are
 * built on the last block created, so the next block can be assembled while the previous one is
 * still being written; the store applies appends in order.
 */
export class BlockWriter {
  private lastNumber: number;
  private lastHash: Uint8Array;
  private lastConfigBlockNum: number;

  constructor(
    private readonly store: BlockStore,
    private readonly signer: Signer,
  ) {
    const last = store.lastBlock();
    if (!last)
      throw new Error(`${store.dir}: the chain is empty; bootstrap the channel with its genesis block first`);
    const header = last.getHeader()!;
    this.lastNumber = header.getNumber();
    this.lastHash = blockHeaderHash(header);
    // The genesis block is its own last config block and may carry no LAST_CONFIG (as in Fabric).
    this.lastConfigBlockNum = this.lastNumber === 0 ? 0 : getLastConfigIndexFromBlock(last);
  }

  /** The next block holding `envelopes`, in order (fabric CreateNextBlock). */
  createNextBlock(envelopes: common.Envelope[]): common.Block {
    const block = newBlock(this.lastNumber + 1, this.lastHash);
    const data = block.getData()!;
    data.setDataList(envelopes.map(envelopeBytes));
    block.getHeader()!.setDataHash(blockDataHash(data));
    this.lastNumber += 1;
    this.lastHash = blockHeaderHash(block.getHeader()!);
    return block;
  }

  /**
   * Marks a created block as the channel's new config block (fabric WriteConfigBlock): its own
   * LAST_CONFIG and every later block's point to it.
   */
  markConfigBlock(block: common.Block): void {
    this.lastConfigBlockNum = block.getHeader()!.getNumber();
  }

  /** Adds LAST_CONFIG and the orderer's signature, then appends; resolves once the block is durable. */
  writeBlock(block: common.Block, consenterMetadata: Uint8Array = new Uint8Array(0)): Promise<void> {
    this.addLastConfig(block);
    this.addBlockSignature(block, consenterMetadata);
    return this.store.append(block).then(() => recordBlockWritten(block));
  }

  /** Legacy LAST_CONFIG entry: Metadata{value: LastConfig{index}} (Fabric 2.x and 3.x still write it). */
  private addLastConfig(block: common.Block): void {
    const lastConfig = new common.LastConfig();
    lastConfig.setIndex(this.lastConfigBlockNum);
    const md = new common.Metadata();
    md.setValue(lastConfig.serializeBinary());
    setMetadata(block, common.BlockMetadataIndex.LAST_CONFIG, md.serializeBinary());
  }

  /**
   * SIGNATURES entry: Metadata{value: OrdererBlockMetadata{last_config, consenter_metadata},
   * signatures: [{signature_header, signature over value ‖ signature_header ‖ ASN.1 header bytes}]}.
   */
  private addBlockSignature(block: common.Block, consenterMetadata: Uint8Array): void {
    const shdr = new common.SignatureHeader();
    shdr.setCreator(this.signer.serialize());
    shdr.setNonce(newNonce());
    const shdrBytes = shdr.serializeBinary();

    const lastConfig = new common.LastConfig();
    lastConfig.setIndex(this.lastConfigBlockNum);
    const consenter = new common.Metadata();
    consenter.setValue(consenterMetadata);
    const obm = new common.OrdererBlockMetadata();
    obm.setLastConfig(lastConfig);
    obm.setConsenterMetadata(consenter.serializeBinary());
    const value = obm.serializeBinary();

    const signature = new common.MetadataSignature();
    signature.setSignatureHeader(shdrBytes);
    signature.setSignature(
      this.signer.sign(Buffer.concat([value, shdrBytes, blockHeaderBytes(block.getHeader()!)])),
    );
    const md = new common.Metadata();
    md.setValue(value);
    md.setSignaturesList([signature]);
    setMetadata(block, common.BlockMetadataIndex.SIGNATURES, md.serializeBinary());
  }
}

function setMetadata(block: common.Block, index: number, value: Uint8Array): void {
  const metadata = block.getMetadata()!;
  const list = metadata.getMetadataList_asU8();
  list[index] = value;
  metadata.setMetadataList(list);
}
