import { X509Certificate } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';

/**
 * When the certificate in a serialized identity expires, or undefined when that cannot be told
 * (fabric common/crypto ExpiresAt: not an X.509 identity, unreadable bytes → no expiry). It reads
 * the certificate directly, without MSP validation, as Fabric does: the policy check judges the
 * identity itself.
 */
export function expiresAt(serializedIdentity: Uint8Array): Date | undefined {
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
