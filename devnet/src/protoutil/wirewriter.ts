/**
 * Writes protobuf wire fields into a buffer of an exact size computed beforehand (protoutil/wiresize), for
 * devnet's hand encoders (ledger/txmgr kvrwsetencode, ledger/history entries, committer commithash,
 * chaincode/message). One-byte tags only; proto3 defaults (an empty string or byte
 * array) are left out by {@link string} and {@link bytes}, as google-protobuf leaves them out; an embedded
 * message ({@link message}) is always written.
 */
export class WireWriter {
  /** The bytes: in memory of their own, or a slice of Node's buffer pool when {@link transient}. */
  readonly result: Uint8Array;
  private readonly out: Buffer;
  private p = 0;

  /**
   * @param total the exact size of what will be written
   * @param transient true for bytes that are dropped soon (a message copied into its gRPC frame): a
   * slice of Node's pool costs no allocation of its own, but a kept slice would pin its 8 KiB slab
   */
  constructor(
    readonly total: number,
    transient = false,
  ) {
    if (transient) {
      this.out = Buffer.allocUnsafe(total); // every byte is written before done() returns it
      this.result = this.out;
    } else {
      this.result = new Uint8Array(total);
      this.out = Buffer.from(this.result.buffer, 0, total);
    }
  }

  /** One raw byte: a tag, or a bool's value. */
  byte(b: number): void {
    this.out[this.p++] = b;
  }

  /** An unsigned varint; a negative value as int64 two's complement (ten bytes), as protobuf writes an int64. */
  varint(v: number): void {
    if (v < 0) {
      let b = BigInt.asUintN(64, BigInt(v));
      while (b >= 0x80n) {
        this.out[this.p++] = Number(b & 0x7fn) | 0x80;
        b >>= 7n;
      }
      this.out[this.p++] = Number(b);
      return;
    }
    while (v >= 0x80) {
      this.out[this.p++] = v % 0x80 | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.out[this.p++] = v;
  }

  /** A varint field (an int, enum or bool); nothing for 0, the proto3 default. */
  varintField(tag: number, v: number): void {
    if (v === 0) return;
    this.out[this.p++] = tag;
    this.varint(v);
  }

  /** A tag and a length: the head of a length-delimited field (an embedded message's, written even when empty). */
  head(tag: number, length: number): void {
    this.out[this.p++] = tag;
    this.varint(length);
  }

  /** A string field in UTF-8; nothing for the empty string. */
  string(tag: number, s: string): void {
    if (s.length === 0) return;
    this.head(tag, Buffer.byteLength(s, 'utf8'));
    this.p += this.out.write(s, this.p, 'utf8');
  }

  /** A bytes field; nothing for no bytes. */
  bytes(tag: number, b: Uint8Array): void {
    if (b.length === 0) return;
    this.message(tag, b);
  }

  /** An embedded message field from its serialized bytes: written even when empty, unlike {@link bytes}. */
  message(tag: number, b: Uint8Array): void {
    this.head(tag, b.length);
    this.raw(b);
  }

  /** Bytes as they are. */
  private raw(b: Uint8Array): void {
    this.out.set(b, this.p);
    this.p += b.length;
  }

  /** The bytes written, after checking that they fill the buffer exactly (`what` names the encoder). */
  done(what: string): Uint8Array {
    if (this.p !== this.total) throw new Error(`${what}: wrote ${this.p} bytes, expected ${this.total}`);
    return this.result;
  }
}
