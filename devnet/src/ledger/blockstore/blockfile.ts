import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';

/** Bytes before each record: u32 BE length of the data, u32 BE CRC-32 of the data. */
export const RECORD_HEADER_BYTES = 8;

/** Records larger than this are treated as garbage when scanning (a torn or corrupt length prefix). */
const MAX_RECORD_BYTES = 1 << 30;

/** Where one record lives in the block file: `offset` of its header, `length` of its data. */
export interface FileLocation {
  offset: number;
  length: number;
}

/** One whole record found while scanning the file. */
export interface ScannedRecord extends FileLocation {
  data: Uint8Array;
}

/** What a scan found: the whole records, and where the valid part of the file ends. */
export interface ScanResult {
  records: ScannedRecord[];
  /** Offset just after the last whole record: everything from here on is a torn tail. */
  validEnd: number;
  /** Why the scan stopped before the end of the file, if it did. */
  tornReason?: string;
}

/**
 * The append-only block file (fabric common/ledger/blkstorage blockfile_rw.go, blockfile_scan.go):
 * length- and checksum-prefixed records; `append` returns only after the data is on disk
 * (fdatasync), so a record once acknowledged survives a crash. One writer at a time: callers
 * serialize appends.
 */
export class BlockFile {
  private constructor(
    readonly filePath: string,
    private readonly handle: fs.promises.FileHandle,
    private end: number,
  ) {}

  /** Opens (creating if needed) the file; the directory entry is synced when the file is new. */
  static async open(filePath: string): Promise<BlockFile> {
    const existed = fs.existsSync(filePath);
    const handle = await fs.promises.open(filePath, existed ? 'r+' : 'w+');
    if (!existed) await syncDir(path.dirname(filePath));
    const { size } = await handle.stat();
    return new BlockFile(filePath, handle, size);
  }

  /** Current size of the file in bytes (where the next record goes). */
  size(): number {
    return this.end;
  }

  /** Writes one record at the end and fdatasyncs before resolving. */
  async append(data: Uint8Array): Promise<FileLocation> {
    const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + data.length);
    record.writeUInt32BE(data.length, 0);
    record.writeUInt32BE(crc32(data), 4);
    record.set(data, RECORD_HEADER_BYTES);
    const offset = this.end;
    await writeFully(this.handle, record, offset);
    await this.handle.datasync();
    this.end = offset + record.length;
    return { offset, length: data.length };
  }

  /** Reads the data of the record at `loc` (checks the checksum). */
  async read(loc: FileLocation): Promise<Uint8Array> {
    const buf = Buffer.allocUnsafe(RECORD_HEADER_BYTES + loc.length);
    const { bytesRead } = await this.handle.read(buf, 0, buf.length, loc.offset);
    if (bytesRead !== buf.length) {
      throw new Error(
        `${this.filePath}: short read at offset ${loc.offset}: ${bytesRead} of ${buf.length} bytes`,
      );
    }
    const length = buf.readUInt32BE(0);
    if (length !== loc.length) {
      throw new Error(
        `${this.filePath}: record at offset ${loc.offset} has length ${length}, index says ${loc.length}`,
      );
    }
    const data = buf.subarray(RECORD_HEADER_BYTES);
    if (crc32(data) !== buf.readUInt32BE(4)) {
      throw new Error(`${this.filePath}: checksum mismatch in record at offset ${loc.offset}`);
    }
    return data;
  }

  /**
   * Reads every whole record from `from` to the end of the file. Stops at the first record that
   * is cut short or fails its checksum: that and everything after it is a torn tail.
   */
  async scan(from: number): Promise<ScanResult> {
    const records: ScannedRecord[] = [];
    let offset = from;
    const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
    while (offset < this.end) {
      if (this.end - offset < RECORD_HEADER_BYTES) {
        return { records, validEnd: offset, tornReason: `partial record header at offset ${offset}` };
      }
      await this.handle.read(header, 0, RECORD_HEADER_BYTES, offset);
      const length = header.readUInt32BE(0);
      if (length > MAX_RECORD_BYTES || offset + RECORD_HEADER_BYTES + length > this.end) {
        return {
          records,
          validEnd: offset,
          tornReason: `partial record at offset ${offset} (length ${length})`,
        };
      }
      const data = Buffer.allocUnsafe(length);
      await this.handle.read(data, 0, length, offset + RECORD_HEADER_BYTES);
      if (crc32(data) !== header.readUInt32BE(4)) {
        return { records, validEnd: offset, tornReason: `checksum mismatch in record at offset ${offset}` };
      }
      records.push({ offset, length, data });
      offset += RECORD_HEADER_BYTES + length;
    }
    return { records, validEnd: offset };
  }

  /** Cuts the file at `size` and syncs (drops a torn tail). */
  async truncate(size: number): Promise<void> {
    await this.handle.truncate(size);
    await this.handle.datasync();
    this.end = size;
  }

  /** Closes the file handle. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Writes all of `buf` at `position` (a single write may be partial). */
async function writeFully(handle: fs.promises.FileHandle, buf: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < buf.length) {
    const { bytesWritten } = await handle.write(buf, written, buf.length - written, position + written);
    written += bytesWritten;
  }
}

/** fsyncs a directory so that a newly created file's entry is durable too. */
async function syncDir(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
