/** Test-only fakes of the ministry CA (fabric-ca-client's FabricCAServices). Not part of the build. */
import { X509Certificate } from 'node:crypto';
import type { CaClient } from '../wallet/enroller';
import { selfSignedIdentity } from './testcrypto';

/** The CN of a PEM certificate. */
export function cnOf(certPem: string): string {
  return new X509Certificate(certPem).subject.replace(/^CN=/, '');
}

/** A fake of fabric-ca-client recording register and enroll calls. */
export function fakeCa(): { ca: CaClient; calls: string[] } {
  const calls: string[] = [];
  const ca = {
    register: async (req: { enrollmentID: string }, registrar: { getName(): string }) => {
      calls.push(`register ${req.enrollmentID} by ${registrar.getName()}`);
      return `secret-of-${req.enrollmentID}`;
    },
    enroll: async (req: { enrollmentID: string; enrollmentSecret: string }) => {
      calls.push(`enroll ${req.enrollmentID} with ${req.enrollmentSecret}`);
      const { certPem, keyPem } = await selfSignedIdentity(req.enrollmentID);
      return { certificate: certPem, key: { toBytes: () => keyPem }, rootCertificate: '' };
    },
  };
  return { ca: ca as unknown as CaClient, calls };
}
