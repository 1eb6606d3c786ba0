import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * The caller's certificate is decoded once per process, not at every transaction.
 *
 * fabric-contract-api builds a fabric-shim ClientIdentity for every transaction, and its
 * constructor decodes the creator's PEM certificate with @fidm/x509 (ASN.1 in JavaScript) to build
 * the caller's id (subject and issuer) and read its attributes: 6-7 % of the egov chaincode
 * server's CPU during RegisterRecord (docs/performance.md). The same few identities call again and
 * again, and a decoded certificate is a function of its PEM text alone, which ClientIdentity only
 * reads, so the @fidm/x509 that fabric-shim loads remembers what it decoded (bounded; a PEM that
 * fails to decode is not remembered and fails as before). Every endorser still answers alike.
 */

/** Most certificates remembered per process (oldest forgotten first). */
export const MAX_REMEMBERED_CERTIFICATES = 1024;

/** Marks a Certificate class already changed here. */
const REMEMBERS = Symbol.for('egov.remembersDecodedCertificates');

/** The part of @fidm/x509's Certificate class used here. */
interface CertificateClass {
  fromPEM(data: unknown): unknown;
  [REMEMBERS]?: boolean;
}

/** @fidm/x509's Certificate as fabric-shim loads it, or undefined when it cannot be found. */
function shimCertificateClass(): CertificateClass | undefined {
  try {
    const load = createRequire(__filename);
    const shimDir = path.dirname(load.resolve('fabric-shim/package.json'));
    const x509 = load(load.resolve('@fidm/x509', { paths: [shimDir] })) as { Certificate?: CertificateClass };
    return typeof x509.Certificate?.fromPEM === 'function' ? x509.Certificate : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes fabric-shim's certificate decoder remember the certificates it decoded; calling it again
 * changes nothing.
 * @returns whether this call changed it.
 */
export function rememberDecodedCertificates(max = MAX_REMEMBERED_CERTIFICATES): boolean {
  const certificate = shimCertificateClass();
  if (certificate === undefined || certificate[REMEMBERS]) return false;
  const fromPEM = certificate.fromPEM;
  const decoded = new Map<string, unknown>();
  certificate.fromPEM = function (this: unknown, data: unknown): unknown {
    const key = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('latin1') : undefined;
    if (key === undefined) return fromPEM.call(this, data);
    let found = decoded.get(key);
    if (found === undefined) {
      found = fromPEM.call(this, data);
      if (decoded.size >= max) decoded.delete(decoded.keys().next().value as string);
      decoded.set(key, found);
    }
    return found;
  };
  certificate[REMEMBERS] = true;
  return true;
}
