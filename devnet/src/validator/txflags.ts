import { peer } from '@hyperledger/fabric-protos';

/**
 * The TRANSACTIONS_FILTER of a block: one `peer.TxValidationCode` byte per transaction (fabric
 * internal/pkg/txflags). Starts as NOT_VALIDATED so that a transaction that skipped validation is
 * caught before the block is committed.
 */
export class TxValidationFlags {
  private readonly flags: Uint8Array;

  /** Flags for `size` transactions, all NOT_VALIDATED. */
  constructor(size: number) {
    this.flags = new Uint8Array(size).fill(peer.TxValidationCode.NOT_VALIDATED);
  }

  /** Wraps an existing filter (e.g. read back from a stored block's metadata). */
  static fromBytes(bytes: Uint8Array): TxValidationFlags {
    const f = new TxValidationFlags(bytes.length);
    f.flags.set(bytes);
    return f;
  }

  /** Number of transactions. */
  get length(): number {
    return this.flags.length;
  }

  /** Sets the code of transaction `txNum`. */
  setFlag(txNum: number, code: number): void {
    this.flags[txNum] = code;
  }

  /** The code of transaction `txNum`. */
  flag(txNum: number): number {
    return this.flags[txNum];
  }

  /** True when transaction `txNum` is VALID. */
  isValid(txNum: number): boolean {
    return this.flags[txNum] === peer.TxValidationCode.VALID;
  }

  /** Throws naming the first transaction still NOT_VALIDATED (fabric validator.go allValidated). */
  assertAllValidated(blockNumber: number): void {
    const i = this.flags.indexOf(peer.TxValidationCode.NOT_VALIDATED);
    if (i >= 0) throw new Error(`transaction ${i} in block ${blockNumber} has skipped validation`);
  }

  /** A copy of the filter bytes, as stored in the block metadata. */
  toBytes(): Uint8Array {
    return Uint8Array.from(this.flags);
  }
}

/** The name of a validation code, e.g. `MVCC_READ_CONFLICT` (for logs and errors). */
export function validationCodeName(code: number): string {
  const entry = Object.entries(peer.TxValidationCode).find(([, v]) => v === code);
  return entry ? entry[0] : `UNKNOWN(${code})`;
}
