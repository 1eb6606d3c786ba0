import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeSKI, generatePrivateKey, loadPrivateKey, toPem } from './keys';
import { x509, type CryptoKey } from './provider';

/** cryptogen's default subject template (`subjectTemplate`): every certificate carries C, ST and L. */
const SUBJECT_DEFAULTS = { country: 'US', province: 'California', locality: 'San Francisco' };

/** About ten years, as cryptogen's `x509Template` (3650 days). */
const VALIDITY_MS = 3650 * 24 * 60 * 60 * 1000;

/** ECDSA with SHA-256: the signature algorithm cryptogen's P-256 keys produce. */
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Key usages, re-exported so callers need not import @peculiar/x509. */
export const KeyUsage = x509.KeyUsageFlags;

/** Extended key usages cryptogen uses. */
export const ExtKeyUsage = {
  serverAuth: x509.ExtendedKeyUsage.serverAuth,
  clientAuth: x509.ExtendedKeyUsage.clientAuth,
};

/** Validity window as cryptogen's `x509Template`: now rounded to the minute, back-dated 5 minutes, plus 3650 days. */
function validity(): { notBefore: Date; notAfter: Date } {
  const minute = 60_000;
  const notBefore = new Date(Math.round(Date.now() / minute) * minute - 5 * minute);
  return { notBefore, notAfter: new Date(notBefore.getTime() + VALIDITY_MS) };
}

/** A random positive 128-bit serial number (hex), minimally DER-encodable (first byte 0x40..0x7f). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x3f) | 0x40;
  return bytes.toString('hex');
}

/** A subject in Go's `pkix.Name` order: C, ST, L, O, OU..., CN. */
function subjectName(parts: {
  organization?: string;
  organizationalUnits?: string[];
  commonName: string;
}): x509.JsonName {
  const name: x509.JsonName = [
    { C: [SUBJECT_DEFAULTS.country] },
    { ST: [SUBJECT_DEFAULTS.province] },
    { L: [SUBJECT_DEFAULTS.locality] },
  ];
  if (parts.organization) name.push({ O: [parts.organization] });
  for (const ou of parts.organizationalUnits ?? []) name.push({ OU: [ou] });
  name.push({ CN: [parts.commonName] });
  return name;
}

/** Splits subject alternative names like cryptogen: anything that parses as an IP is an IP SAN, else DNS. */
function alternativeNames(names: string[]): x509.JsonGeneralNames {
  const isIp = (s: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(s) || s.includes(':');
  return names.map((value) => ({ type: isIp(value) ? 'ip' : 'dns', value }));
}

/** Writes `<dir>/<name>-cert.pem`, cryptogen's certificate file name. */
function writeCert(dir: string, name: string, cert: x509.X509Certificate): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-cert.pem`);
  fs.writeFileSync(file, toPem('CERTIFICATE', cert.rawData));
  return file;
}

/** Options for {@link CA.signCertificate}. */
export interface SignCertificateOptions {
  /** Folder that receives `<name>-cert.pem`. */
  baseDir: string;
  /** Common name of the subject, e.g. `peer0.immigration.egov.local`. */
  name: string;
  /** Node OUs added to the subject (`peer`, `client`, `admin`, `orderer`). */
  orgUnits?: string[];
  /** DNS names and IP addresses for the SAN extension. */
  alternateNames?: string[];
  publicKey: CryptoKey;
  keyUsage: number;
  extKeyUsage?: string[];
}

/**
 * A certificate authority as cryptogen's `ca.CA`: a self-signed ECDSA P-256 root whose key lives in
 * `<baseDir>/priv_sk` and whose certificate is `<baseDir>/<name>-cert.pem`.
 */
export class CA {
  private constructor(
    /** Common name, e.g. `ca.immigration.egov.local` or `tlsca.immigration.egov.local`. */
    readonly name: string,
    /** The CA certificate. */
    readonly signCert: x509.X509Certificate,
    private readonly signer: CryptoKey,
    /** Hex subject key identifier, copied into the authority key identifier of issued certificates. */
    readonly ski: string,
  ) {}

  /** The CA certificate as PEM. */
  get certPem(): string {
    return toPem('CERTIFICATE', this.signCert.rawData);
  }

  /**
   * Creates a CA like cryptogen's `ca.NewCA`: subject C/ST/L/O=<org>/CN=<name>, basicConstraints CA,
   * keyUsage digitalSignature|keyEncipherment|certSign|cRLSign, extKeyUsage clientAuth+serverAuth, SKI.
   */
  static async create(baseDir: string, org: string, name: string): Promise<CA> {
    const keys = await generatePrivateKey(baseDir);
    const ski = await computeSKI(keys.publicKey);
    const subject = subjectName({ organization: org, commonName: name });
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject,
      issuer: subject,
      ...validity(),
      signingAlgorithm: SIGNING_ALGORITHM,
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      extensions: [
        new x509.KeyUsagesExtension(
          KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign | KeyUsage.cRLSign,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([ExtKeyUsage.clientAuth, ExtKeyUsage.serverAuth]),
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.SubjectKeyIdentifierExtension(ski),
      ],
    });
    writeCert(baseDir, name, cert);
    return new CA(name, cert, keys.privateKey, ski);
  }

  /**
   * Loads a CA from a cryptogen `ca/` or `tlsca/` folder (one `*-cert.pem` and `priv_sk`).
   * @throws Error naming the folder when either file is missing.
   */
  static async load(dir: string): Promise<CA> {
    const certFile = fs.existsSync(dir)
      ? fs.readdirSync(dir).find((f) => f.endsWith('-cert.pem'))
      : undefined;
    if (!certFile) throw new Error(`no CA certificate (*-cert.pem) in ${dir}`);
    const cert = new x509.X509Certificate(fs.readFileSync(path.join(dir, certFile), 'utf8'));
    const signer = await loadPrivateKey(path.join(dir, 'priv_sk'));
    const skiExt = cert.getExtension(x509.SubjectKeyIdentifierExtension);
    if (!skiExt) throw new Error(`CA certificate ${path.join(dir, certFile)} has no subject key identifier`);
    return new CA(certFile.slice(0, -'-cert.pem'.length), cert, signer, skiExt.keyId);
  }

  /**
   * Issues a certificate like cryptogen's `SignCertificate`: subject C/ST/L/OU.../CN=<name>,
   * basicConstraints CA:false, the given key usages, AKI = this CA's SKI, SANs if any.
   * Writes `<baseDir>/<name>-cert.pem` and returns the certificate.
   */
  async signCertificate(opts: SignCertificateOptions): Promise<x509.X509Certificate> {
    const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(opts.keyUsage, true)];
    if (opts.extKeyUsage && opts.extKeyUsage.length > 0) {
      extensions.push(new x509.ExtendedKeyUsageExtension(opts.extKeyUsage));
    }
    extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
    extensions.push(new x509.AuthorityKeyIdentifierExtension(this.ski));
    if (opts.alternateNames && opts.alternateNames.length > 0) {
      extensions.push(new x509.SubjectAlternativeNameExtension(alternativeNames(opts.alternateNames)));
    }
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: subjectName({ organizationalUnits: opts.orgUnits, commonName: opts.name }),
      issuer: this.signCert.subjectName,
      ...validity(),
      signingAlgorithm: SIGNING_ALGORITHM,
      publicKey: opts.publicKey,
      signingKey: this.signer,
      extensions,
    });
    writeCert(opts.baseDir, opts.name, cert);
    return cert;
  }
}
