import { X509Certificate } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import { LruCache } from '../lru';

/** Expiry dates kept by serialized identity: a handful of clients sign every proposal and envelope. */
const CACHE_SIZE = 1000;
const cache = new LruCache<string, Date | null>(CACHE_SIZE);

/**
 * When the certificate in a serialized identity expires, or undefined when that cannot be told
 * (fabric common/crypto ExpiresAt: not an X.509 identity, unreadable bytes → no expiry). It reads
 * the certificate directly, without MSP validation, as Fabric does: the policy check judges the
 * identity itself. The answer depends on the bytes alone, so it is cached by them: parsing a
 * certificate per proposal was the orderer's and the endorser's top cost.
 */
export function expiresAt(serializedIdentity: Uint8Array): Date | undefined {
  const key = Buffer.from(
    serializedIdentity.buffer,
    serializedIdentity.byteOffset,
    serializedIdentity.byteLength,
  ).toString('latin1');
  const cached = cache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const expiry = readExpiry(serializedIdentity);
  cache.set(key, expiry ?? null);
  return expiry;
}

function readExpiry(serializedIdentity: Uint8Array): Date | undefined {
  try {
    const sid = msp.SerializedIdentity.deserializeBinary(serializedIdentity);
    const pem = Buffer.from(sid.getIdBytes_asU8()).toString('utf8');
    if (!pem.includes('-----BEGIN')) return undefined;
    const notAfter = Date.parse(new X509Certificate(pem).validTo);
    return Number.isNaN(notAfter) ? undefined : new Date(notAfter);
  } catch {
    return undefined;
  }
}
