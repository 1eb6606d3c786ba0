import { X509Certificate, verify } from 'node:crypto';
import { authenticationFailure } from './errors';

/**
 * Fabric CA's token authorization header (util.VerifyToken): `<b64 cert PEM>.<b64 signature>`, the
 * signature an ECDSA/SHA-256 signature over `<method>.<b64 uri>.<b64 body>.<b64 cert PEM>`. Returns the
 * certificate; the caller still checks that this CA issued it and that it is not revoked.
 * @throws CAError 401 (no detail to the client) when the header is missing, malformed or the signature fails.
 */
export function verifyToken(
  header: string | undefined,
  method: string,
  uri: string,
  body: Buffer,
): X509Certificate {
  if (header === undefined || header === '') throw authenticationFailure();
  const parts = header.split('.');
  if (parts.length !== 2) throw authenticationFailure();
  const [b64Cert, b64Sig] = parts;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(b64Cert, 'base64'));
  } catch {
    throw authenticationFailure();
  }
  const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64');
  const signed = `${method}.${b64(uri)}.${b64(body)}.${b64Cert}`;
  let valid = false;
  try {
    valid = verify('sha256', Buffer.from(signed), cert.publicKey, Buffer.from(b64Sig, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) throw authenticationFailure();
  return cert;
}

/** `Authorization: Basic <b64 id:secret>` as enroll uses it; undefined when absent or not Basic. */
export function parseBasicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** The enrollment id of a certificate Fabric CA issued: its subject CN (util.GetEnrollmentIDFromX509Certificate). */
export function enrollmentIdOf(cert: X509Certificate): string {
  const cn = cert.subject.split('\n').find((l) => l.startsWith('CN='));
  return cn === undefined ? '' : cn.slice(3);
}
