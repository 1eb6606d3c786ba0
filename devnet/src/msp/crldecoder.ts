import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';

/** What the MSP reads of a DER CRL: the issuer's signature over tbsCertList and the revoked serials (hex). */
export interface DecodedCrl {
  signature: Buffer;
  revokedSerials: string[];
}

/** Decodes a DER X.509 CRL; throws naming what could not be parsed. */
export function decodeCrl(der: Uint8Array): DecodedCrl {
  let crl: CertificateList;
  try {
    crl = AsnConvert.parse(der, CertificateList);
  } catch (err) {
    throw new Error(`could not parse a revocation list: ${(err as Error).message}`);
  }
  return {
    signature: Buffer.from(crl.signature),
    revokedSerials: (crl.tbsCertList.revokedCertificates ?? []).map((entry) =>
      Buffer.from(entry.userCertificate).toString('hex'),
    ),
  };
}
