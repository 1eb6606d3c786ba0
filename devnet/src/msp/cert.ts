import { X509Certificate } from 'node:crypto';

/** One certificate with what the MSP reads from it, parsed once. */
export interface ParsedCert {
  x509: X509Certificate;
  /** DER bytes (Go's cert.Raw). */
  raw: Buffer;
  /** Subject OU values in order. */
  ous: string[];
  isCA: boolean;
  notBefore: Date;
  notAfter: Date;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Parses the first PEM certificate in `pem` (fabric getCertFromPem); throws naming the problem.
 */
export function parseCertPem(pem: Uint8Array | string): ParsedCert {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('latin1');
  const match = PEM_CERT.exec(text);
  if (!match) throw new Error('could not decode the PEM structure');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(match[0]);
  } catch (err) {
    throw new Error(`parseCertificate failed: ${(err as Error).message}`);
  }
  return fromX509(x509);
}

/** Reads an X509Certificate into a ParsedCert. */
export function fromX509(x509: X509Certificate): ParsedCert {
  return {
    x509,
    raw: x509.raw,
    ous: subjectAttribute(x509.subject, 'OU'),
    isCA: x509.ca,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
  };
}

/** Values of one attribute in node's newline-separated subject string (e.g. 'OU'). */
export function subjectAttribute(subject: string, attribute: string): string[] {
  const prefix = attribute + '=';
  return subject
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

/** Whether `issuer` issued and signed `cert`. */
export function isIssuedBy(cert: ParsedCert, issuer: ParsedCert): boolean {
  return cert.x509.checkIssued(issuer.x509) && cert.x509.verify(issuer.x509.publicKey);
}

/** Whether every certificate in the chain is within its validity period at `at`. */
export function chainValidAt(chain: ParsedCert[], at: Date): boolean {
  return chain.every((c) => c.notBefore <= at && at <= c.notAfter);
}

/** PEM text of a DER certificate. */
export function certToPem(raw: Uint8Array): string {
  const b64 = Buffer.from(raw)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
