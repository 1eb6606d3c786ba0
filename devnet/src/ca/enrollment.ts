import { createHash, randomBytes } from 'node:crypto';
import { toPem, x509 } from '@govfabric/network-config';
import { ATTRIBUTE_EXTENSION_OID } from './attributes';
import { badRequest, CAError, ErrorCode } from './errors';
import type { IssuerKey } from './issuer';
import { normalizeHex, type IdentityRecord } from './registry';

/** Fabric CA's default enrollment certificate lifetime (signing.default.expiry: 8760h). */
const CERT_LIFETIME_MS = 8760 * 60 * 60 * 1000;
/** cfssl back-dates notBefore by 5 minutes so slightly slow clocks accept a fresh certificate. */
const BACKDATE_MS = 5 * 60 * 1000;
/** Fabric CA's CSR field limits (lib/serverenroll.go). */
const FIELD_LIMITS: Record<string, number> = { CN: 64, C: 2, L: 128, ST: 128, O: 64, OU: 64 };

/** What an enroll or reenroll request carries besides the identity (Fabric CA's signer.SignRequest). */
export interface SignRequest {
  /** PEM PKCS#10 request (`certificate_request`). */
  csrPem: string;
  /** Extra DNS names or IPs for the SAN extension (`hosts`). */
  hosts?: string[];
  /** Attributes for Fabric CA's attribute extension (undefined: none). */
  attrs?: Record<string, string>;
}

/** A certificate this CA issued. */
export interface IssuedCertificate {
  pem: string;
  serial: string;
  aki: string;
  notAfter: Date;
}

/** Parses and checks a CSR: PEM, signature, CN = enrollment id, field lengths (Fabric CA's processSignRequest). */
async function parseCsr(csrPem: string, id: string): Promise<x509.Pkcs10CertificateRequest> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    throw badRequest(`CSR Decode failed: ${(err as Error).message}`, ErrorCode.badCSR);
  }
  if (!(await csr.verify())) throw badRequest('the CSR signature does not verify', ErrorCode.badCSR);
  const cn = csr.subjectName.getField('CN');
  if (cn.length !== 1 || cn[0] !== id) {
    throw new CAError(
      403,
      ErrorCode.cnInvalidEnroll,
      'The CSR subject common name must equal the enrollment ID',
    );
  }
  for (const [field, limit] of Object.entries(FIELD_LIMITS)) {
    for (const value of csr.subjectName.getField(field)) {
      if (value.length > limit) {
        throw badRequest(
          `CSR input validation failed: ${field} '${value}' exceeds ${limit} characters`,
          ErrorCode.badCSR,
        );
      }
    }
  }
  const basic = csr.extensions.find((e) => e instanceof x509.BasicConstraintsExtension);
  if (basic?.ca === true) {
    throw new CAError(
      403,
      ErrorCode.registrarNotAuthorized,
      'Authorization failure: this CA issues no CA certificates',
    );
  }
  return csr;
}

/**
 * The subject Fabric CA gives an enrollment certificate (setRequestOUs): the CSR's C, ST, L and O,
 * then OU = the identity's type (its NodeOU: client, peer, admin, orderer), then one OU per
 * affiliation level, then CN = the enrollment id.
 */
function subjectOf(csr: x509.Pkcs10CertificateRequest, identity: IdentityRecord): x509.JsonName {
  const name: x509.JsonName = [];
  for (const field of ['C', 'ST', 'L', 'O']) {
    for (const value of csr.subjectName.getField(field)) name.push({ [field]: [value] });
  }
  name.push({ OU: [identity.type] });
  for (const level of identity.affiliation === '' ? [] : identity.affiliation.split('.'))
    name.push({ OU: [level] });
  name.push({ CN: [identity.id] });
  return name;
}

/** A random positive serial number of 20 bytes (RFC 5280's maximum), as hex. */
function newSerial(): string {
  const bytes = randomBytes(20);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** JSON with sorted keys, as Go's json.Marshal writes a map. */
function sortedJson(attrs: Record<string, string>): string {
  return JSON.stringify({
    attrs: Object.fromEntries(Object.entries(attrs).sort(([a], [b]) => (a < b ? -1 : 1))),
  });
}

/**
 * Issues an enrollment certificate for `identity` from its CSR, as Fabric CA's enroll does: subject
 * from {@link subjectOf}, the CSR's key, keyUsage digitalSignature, CA:false, SKI, AKI = the CA's SKI,
 * SANs from the CSR and `hosts`, the attribute extension (OID 1.2.3.4.5.6.7.8.1, JSON `{"attrs":{...}}`)
 * when attributes apply; valid one year, never past the CA certificate.
 */
export async function issueCertificate(
  issuer: IssuerKey,
  identity: IdentityRecord,
  request: SignRequest,
): Promise<IssuedCertificate> {
  const csr = await parseCsr(request.csrPem, identity.id);
  const publicKey = await csr.publicKey.export();
  const spki = Buffer.from(csr.publicKey.rawData);
  const now = Date.now();
  const notAfter = new Date(Math.min(now + CERT_LIFETIME_MS, issuer.cert.notAfter.getTime()));
  const extensions: x509.Extension[] = [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.SubjectKeyIdentifierExtension(createHash('sha1').update(spki).digest('hex')),
    new x509.AuthorityKeyIdentifierExtension(issuer.ski),
  ];
  const sans = [
    ...(csr.extensions.find((e) => e instanceof x509.SubjectAlternativeNameExtension)?.names.toJSON() ?? []),
    ...(request.hosts ?? []).map((h) => ({
      type: /^[\d.]+$|:/.test(h) ? ('ip' as const) : ('dns' as const),
      value: h,
    })),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  if (request.attrs !== undefined) {
    extensions.push(
      new x509.Extension(ATTRIBUTE_EXTENSION_OID, false, Buffer.from(sortedJson(request.attrs))),
    );
  }
  const serial = newSerial();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: subjectOf(csr, identity),
    issuer: issuer.cert.subjectName,
    notBefore: new Date(Math.max(now - BACKDATE_MS, issuer.cert.notBefore.getTime())),
    notAfter,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    publicKey,
    signingKey: issuer.key,
    extensions,
  });
  return {
    pem: toPem('CERTIFICATE', cert.rawData),
    serial: normalizeHex(serial),
    aki: normalizeHex(issuer.ski),
    notAfter,
  };
}
