import { createRequire } from 'node:module';
import * as path from 'node:path';
import { newIdentity } from '../testing/identities';
import { rememberDecodedCertificates } from './shim-certificates';

const load = createRequire(__filename);

/** fabric-shim's ClientIdentity and the @fidm/x509 Certificate it decodes with (this file's own copies). */
const { ClientIdentity } = load('fabric-shim') as {
  ClientIdentity: new (stub: object) => {
    getID(): string;
    getMSPID(): string;
    getAttributeValue(name: string): string | null;
  };
};
const { Certificate } = load(
  load.resolve('@fidm/x509', { paths: [path.dirname(load.resolve('fabric-shim/package.json'))] }),
) as { Certificate: { fromPEMs(data: unknown): unknown[] } };

/** The stub parts ClientIdentity reads. */
function stubOf(mspId: string, certPem: string): object {
  return {
    getChannelID: () => 'ch',
    getTxID: () => 'tx',
    getCreator: () => ({ mspid: mspId, idBytes: Buffer.from(certPem) }),
  };
}

describe('rememberDecodedCertificates', () => {
  afterEach(() => jest.restoreAllMocks());

  it('decodes each caller certificate once, and answers the same identity as before', async () => {
    const a = await newIdentity('EducationMSP', 'user-a', ['client']);
    const b = await newIdentity('HealthMSP', 'user-b', ['client']);
    const before = [a, b].map((i) => new ClientIdentity(stubOf(i.mspId, i.certPem)).getID());

    expect(rememberDecodedCertificates()).toBe(true);
    expect(rememberDecodedCertificates()).toBe(false); // changed once
    const decode = jest.spyOn(Certificate, 'fromPEMs');
    for (let n = 0; n < 3; n++) {
      expect(new ClientIdentity(stubOf(a.mspId, a.certPem)).getID()).toBe(before[0]);
      expect(new ClientIdentity(stubOf(b.mspId, b.certPem)).getID()).toBe(before[1]);
    }
    expect(decode).toHaveBeenCalledTimes(2);
    expect(before[0]).toContain('CN=user-a');
  });

  it('does not remember a certificate that fails to decode', () => {
    rememberDecodedCertificates();
    const decode = jest.spyOn(Certificate, 'fromPEMs');
    const bad = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(() => new ClientIdentity(stubOf('EducationMSP', bad))).toThrow();
    expect(() => new ClientIdentity(stubOf('EducationMSP', bad))).toThrow();
    expect(decode).toHaveBeenCalledTimes(2);
  });
});
