import { createHash } from 'node:crypto';

/** SHA-256, the hash Fabric's ledger uses for range-query Merkle summaries. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}
