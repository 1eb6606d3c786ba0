import { verify } from 'node:crypto';
import type { ParsedCert } from './cert';
import type * as crlDecoder from './crldecoder';

/**
 * The CRL decoder, loaded with the first CRL: its ASN.1 libraries take ~12 MB in every peer and orderer,
 * and most MSPs carry no CRL.
 */
let decoder: typeof crlDecoder | undefined;
function decodeCrl(der: Uint8Array): crlDecoder.DecodedCrl {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  decoder ??= require('./crldecoder') as typeof crlDecoder;
  return decoder.decodeCrl(der);
}

const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/g;

/** A hex serial as compared here: lower case, no leading zeros. */
export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+/, '');
}

/** The raw bytes of the first element of a DER SEQUENCE (a CRL's tbsCertList, as signed). */
function firstElement(der: Uint8Array): Uint8Array {
  const headerLen = (at: number): { len: number; header: number } => {
    const b = der[at + 1];
    if (b < 0x80) return { len: b, header: 2 };
    const n = b & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
    return { len, header: 2 + n };
  };
  const outer = headerLen(0);
  const inner = headerLen(outer.header);
  return der.subarray(outer.header, outer.header + inner.header + inner.len);
}

/**
 * The MSP's revocation lists (FabricMSPConfig.revocation_list, PEM CRLs): for each CA of the MSP that
 * signed a CRL, the serials it revoked. As Fabric's MSP, a CRL counts only when its signature verifies
 * with the CA that issued the identity (fabric validateCertAgainstChain: CheckCRLSignature).
 */
export class RevocationLists {
  private readonly byIssuer = new Map<string, Set<string>>();

  /**
   * @param pems the revocation_list entries
   * @param cas the MSP's root and intermediate CAs
   * @throws Error naming a CRL that cannot be decoded
   */
  constructor(pems: Uint8Array[], cas: ParsedCert[]) {
    for (const pem of pems) {
      const text = Buffer.from(pem).toString('latin1');
      const blocks = [...text.matchAll(PEM_CRL)];
      if (blocks.length === 0) throw new Error('could not decode a revocation list: no X509 CRL PEM block');
      for (const block of blocks) this.add(Buffer.from(block[1].replace(/\s+/g, ''), 'base64'), cas);
    }
  }

  private add(der: Buffer, cas: ParsedCert[]): void {
    const crl = decodeCrl(der);
    const tbs = firstElement(der);
    const signature = crl.signature;
    const issuer = cas.find((ca) => {
      try {
        return verify('sha256', tbs, ca.x509.publicKey, signature);
      } catch {
        return false;
      }
    });
    // A CRL no CA of this MSP signed revokes nothing here (Fabric skips it the same way).
    if (issuer === undefined) return;
    const key = issuer.raw.toString('base64');
    const serials = this.byIssuer.get(key) ?? new Set<string>();
    for (const serial of crl.revokedSerials) serials.add(normalizeSerial(serial));
    this.byIssuer.set(key, serials);
  }

  /** Whether `cert`, issued by `issuer` (its validation chain's parent), is revoked. */
  isRevoked(cert: ParsedCert, issuer: ParsedCert): boolean {
    return (
      this.byIssuer.get(issuer.raw.toString('base64'))?.has(normalizeSerial(cert.x509.serialNumber)) ?? false
    );
  }
}
