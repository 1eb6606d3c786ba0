import { createHash } from 'node:crypto';

/**
 * Where private data lives in the world state (Fabric's privacyenabledstate): the hashed state of a
 * collection in namespace `<ns>$$h<coll>` (every peer of the channel), the private values in
 * `<ns>$$p<coll>` (member peers only). devnet keys the hashed state by the hex SHA-256 of the key
 * (Fabric uses the raw hash bytes; the encoding is internal to the peer).
 */

/** The namespace of a collection's hashed state. */
export function hashedNamespace(ns: string, coll: string): string {
  return `${ns}$$h${coll}`;
}

/** The namespace of a collection's private values. */
export function privateNamespace(ns: string, coll: string): string {
  return `${ns}$$p${coll}`;
}

/** SHA-256, the hash of private keys and values in hashed read-write sets. */
export function hashOf(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(
    createHash('sha256')
      .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
      .digest(),
  );
}

/** The hashed-state key of a private key hash (hex). */
export function hashedKey(keyHash: Uint8Array): string {
  return Buffer.from(keyHash).toString('hex');
}

/** True for namespaces that hold private data (hashed or private), as opposed to a chaincode's public state. */
export function isPrivateDataNamespace(ns: string): boolean {
  return ns.includes('$$h') || ns.includes('$$p');
}
