import { common } from '@hyperledger/fabric-protos';
import {
  blockDataHash,
  blockHeaderHash,
  blockSignaturesAsSignedData,
  EnvelopeView,
  readEnvelope,
  readEnvelopeHeaders,
} from '../protoutil';
import type { PolicyLike } from '../validator';

/** Where the orderer's block signatures are checked (fabric policies.BlockValidation). */
export const BLOCK_VALIDATION_POLICY = '/Channel/Orderer/BlockValidation';

/** A block that failed verification: the deliver client drops the stream and reconnects. */
export class BlockVerificationError extends Error {}

/**
 * Verifies blocks received from the orderer before the peer validates them (fabric
 * common/deliverclient/block_verification.go VerifyBlock): number follows the last block, previous_hash
 * is the last header's hash, all 5 metadata entries present, transactions well formed, data_hash matches
 * the data, and the orderer's signatures satisfy `/Channel/Orderer/BlockValidation`.
 */
export class BlockVerifier {
  private lastNumber: number;
  private lastHash: Uint8Array;

  /**
   * @param channelId for error texts
   * @param lastHeader the header of the last block the peer holds
   * @param blockValidationPolicy current `/Channel/Orderer/BlockValidation` policy (read per block)
   */
  constructor(
    private readonly channelId: string,
    lastHeader: common.BlockHeader,
    private readonly blockValidationPolicy: () => PolicyLike | undefined,
  ) {
    this.lastNumber = lastHeader.getNumber();
    this.lastHash = blockHeaderHash(lastHeader);
  }

  /** Throws {@link BlockVerificationError} naming what is wrong; on success the block becomes the last one. */
  verifyBlock(block: common.Block): void {
    const header = block.getHeader();
    if (!header)
      throw this.error(`invalid block, header must be different from nil, channel=${this.channelId}`);
    const n = header.getNumber();
    if (n !== this.lastNumber + 1) {
      throw this.error(
        `expected block number is [${this.lastNumber + 1}] but actual block number inside block is [${n}]`,
      );
    }
    const prev = Buffer.from(header.getPreviousHash_asU8());
    if (!prev.equals(Buffer.from(this.lastHash))) {
      throw this.error(
        `Header.PreviousHash of block [${n}] is different from Hash(block.Header) of previous block, on channel [${this.channelId}], ` +
          `received: ${prev.toString('hex')}, expected: ${Buffer.from(this.lastHash).toString('hex')}`,
      );
    }
    const metadata = block.getMetadata()?.getMetadataList_asU8() ?? [];
    if (metadata.length < common.BlockMetadataIndex.COMMIT_HASH + 1) {
      throw this.error(
        `block with id [${n}] on channel [${this.channelId}] does not have metadata or contains too few entries`,
      );
    }
    this.verifyDataHash(block, n);
    this.verifySignatures(block, n);
    this.lastNumber = n;
    this.lastHash = blockHeaderHash(header);
  }

  private verifyDataHash(block: common.Block, n: number): void {
    const data = block.getData();
    const wellFormed = data ? transactionsWellFormedError(data) : 'empty block';
    if (wellFormed) {
      throw this.error(
        `failed to verify transactions are well formed for block with id [${n}] on channel [${this.channelId}]: ${wellFormed}`,
      );
    }
    const computed = Buffer.from(blockDataHash(data!));
    const declared = Buffer.from(block.getHeader()!.getDataHash_asU8());
    if (!computed.equals(declared)) {
      throw this.error(
        `Header.DataHash is different from Hash(block.Data) for block with id [${n}] on channel [${this.channelId}]; ` +
          `Header: ${declared.toString('hex')}, Data: ${computed.toString('hex')}`,
      );
    }
  }

  private verifySignatures(block: common.Block, n: number): void {
    const policy = this.blockValidationPolicy();
    if (!policy) throw this.error(`no \`${BLOCK_VALIDATION_POLICY}\` policy in config block`);
    let signedData;
    try {
      signedData = blockSignaturesAsSignedData(block);
    } catch (e) {
      throw this.error(
        `error unmarshalling signatures from metadata of block [${n}]: ${(e as Error).message}`,
      );
    }
    try {
      policy.evaluate(signedData);
    } catch (e) {
      throw this.error(`block [${n}] signature verification failed: ${(e as Error).message}`);
    }
  }

  private error(message: string): BlockVerificationError {
    return new BlockVerificationError(message);
  }
}

/**
 * Fabric's VerifyTransactionsAreWellFormed: a non-empty block whose envelopes each decode with a payload and
 * a signature (a lone config envelope is exempt). Returns the problem, or undefined.
 */
export function transactionsWellFormedError(data: common.BlockData): string | undefined {
  const list = data.getDataList_asU8();
  if (list.length === 0) return 'empty block';
  if (list.length === 1 && isConfigEnvelope(list[0])) return undefined;
  for (let i = 0; i < list.length; i++) {
    let env: EnvelopeView;
    try {
      env = readEnvelope(list[i]);
    } catch (e) {
      return `transaction ${i} is invalid: ${(e as Error).message}`;
    }
    if (env.payload.length === 0) return `transaction ${i} has no payload`;
    if (env.signature.length === 0) return `transaction ${i} has no signature`;
  }
  return undefined;
}

function isConfigEnvelope(bytes: Uint8Array): boolean {
  try {
    return readEnvelopeHeaders(bytes).channelHeader?.type === common.HeaderType.CONFIG;
  } catch {
    return false;
  }
}
