import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * Test-only X.509 identities (not part of the chaincode build): self-signed ECDSA P-256 certificates
 * shaped like cryptogen's, with NodeOU organizational units.
 */

/** A client identity as the peer hands it to the chaincode (SerializedIdentity). */
export interface TestIdentity {
  mspId: string;
  certPem: string;
}

// Node's webcrypto is the Web Crypto API; the cast only bridges DOM-less typings
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/** Creates an identity whose subject is `C=US, O=<org>, OU=<ous...>, CN=<cn>`. */
export async function newIdentity(mspId: string, cn: string, ous: string[]): Promise<TestIdentity> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
  const ouPart = ous.map((ou) => `OU=${ou}, `).join('');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `C=US, O=${mspId.toLowerCase()}.egov.local, ${ouPart}CN=${cn}`,
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2034-01-01T00:00:00Z'),
    signingAlgorithm: ALGORITHM,
    keys: keys as unknown as x509.X509CertificateCreateSelfSignedParams['keys'],
  });
  return { mspId, certPem: cert.toString('pem') };
}

/** A ministry's admin (OU=admin) and ordinary client (OU=client), as cryptogen issues them. */
export async function ministryIdentities(
  mspId: string,
): Promise<{ admin: TestIdentity; client: TestIdentity }> {
  const domain = `${mspId.replace(/MSP$/, '').toLowerCase()}.egov.local`;
  return {
    admin: await newIdentity(mspId, `Admin@${domain}`, ['admin']),
    client: await newIdentity(mspId, `User1@${domain}`, ['client']),
  };
}
