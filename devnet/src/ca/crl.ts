import { toPem, x509 } from '@govfabric/network-config';
import { badRequest } from './errors';
import type { IssuerKey } from './issuer';
import type { CertificateRecord } from './registry';

/** Fabric CA's default CRL lifetime (crl.expiry: 24h): nextUpdate = thisUpdate + 24h. */
const CRL_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Optional windows of a gencrl request (Fabric CA's api.GenCRLRequest), ISO times. */
export interface CrlWindow {
  revokedAfter?: Date;
  revokedBefore?: Date;
  expireAfter?: Date;
  expireBefore?: Date;
}

/** Reads a gencrl body's optional RFC 3339 times; an unparsable one is a 400 naming the field. */
export function crlWindowOf(body: Record<string, unknown>): CrlWindow {
  const window: CrlWindow = {};
  for (const [field, key] of [
    ['revokedafter', 'revokedAfter'],
    ['revokedbefore', 'revokedBefore'],
    ['expireafter', 'expireAfter'],
    ['expirebefore', 'expireBefore'],
  ] as const) {
    // Fabric CA's JSON names are lower case; fabric-ca-client (npm) sends camelCase.
    const raw = body[field] ?? body[key];
    if (raw === undefined || raw === null || raw === '') continue;
    const date = new Date(String(raw));
    // Go's zero time, which the Go client sends for an unset window, means "no bound".
    if (Number.isNaN(date.getTime()))
      throw badRequest(`'${field}' is not a valid RFC 3339 time: ${String(raw)}`);
    if (date.getUTCFullYear() > 1) window[key] = date;
  }
  if (window.revokedAfter && window.revokedBefore && window.revokedAfter > window.revokedBefore) {
    throw badRequest("Invalid 'revokedafter' value. It must not be a timestamp greater than 'revokedbefore'");
  }
  if (window.expireAfter && window.expireBefore && window.expireAfter > window.expireBefore) {
    throw badRequest("Invalid 'expireafter' value. It must not be a timestamp greater than 'expirebefore'");
  }
  return window;
}

function inWindow(record: CertificateRecord, w: CrlWindow): boolean {
  const revokedAt = new Date(record.revokedAt ?? 0);
  const notAfter = new Date(record.notAfter);
  return (
    (w.revokedAfter === undefined || revokedAt >= w.revokedAfter) &&
    (w.revokedBefore === undefined || revokedAt <= w.revokedBefore) &&
    (w.expireAfter === undefined || notAfter >= w.expireAfter) &&
    (w.expireBefore === undefined || notAfter <= w.expireBefore)
  );
}

/**
 * A CRL of the revoked certificates in the window, signed by the CA (Fabric CA's genCRL): issuer = the
 * CA's subject, AKI = its SKI, one entry per certificate (serial, revocation time, reason). PEM `X509 CRL`.
 */
export async function generateCrl(
  issuer: IssuerKey,
  certificates: CertificateRecord[],
  window: CrlWindow = {},
  now = new Date(),
): Promise<string> {
  const entries = certificates
    .filter((c) => c.status === 'revoked' && inWindow(c, window))
    .map((c) => ({
      serialNumber: c.serial.length % 2 === 0 ? c.serial : `0${c.serial}`,
      revocationDate: new Date(c.revokedAt ?? now),
      ...(c.reason !== undefined && c.reason > 0 ? { reason: c.reason as x509.X509CrlReason } : {}),
    }));
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.cert.subjectName,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + CRL_LIFETIME_MS),
    entries,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    signingKey: issuer.key,
    extensions: [new x509.AuthorityKeyIdentifierExtension(issuer.ski)],
  });
  return toPem('X509 CRL', crl.rawData);
}
