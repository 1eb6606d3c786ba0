import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { caClient, enroll, enrollRegistrar, uniqueId, type Enrolled } from '../support/ca';
import { CONFORMANCE_CHAINCODE, REPO, realFabricNetworkFile, testNetwork } from '../support/devnet';
import { connectGateway, orgOf } from '../support/gateway';

const EDUCATION = 'EducationMSP';
const ATTRS = ['hf.EnrollmentID', 'hf.Type', 'hf.Affiliation', 'egov.officer', 'egov.clearance'];

/** Fabric CA's attribute extension (OID 1.2.3.4.5.6.7.8.1) of a PEM certificate, parsed. */
function attributeExtension(certPem: string): Record<string, string> | undefined {
  const der = new X509Certificate(certPem).raw;
  // The OID's DER bytes, then the critical flag (absent), then the OCTET STRING holding the JSON.
  const oid = Buffer.from([0x06, 0x08, 0x2a, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x01]);
  const at = der.indexOf(oid);
  if (at < 0) return undefined;
  const octet = der.subarray(at + oid.length);
  const len = octet[1] < 0x80 ? octet[1] : octet.readUIntBE(2, octet[1] & 0x7f);
  const start = octet[1] < 0x80 ? 2 : 2 + (octet[1] & 0x7f);
  return (
    JSON.parse(octet.subarray(start, start + len).toString('utf8')) as { attrs: Record<string, string> }
  ).attrs;
}

const describeDevnet = realFabricNetworkFile() === undefined ? describe : describe.skip;

// The official fabric-ca-client (npm) against devnet's Fabric-CA-compatible CAs; enrolled identities
// transact on the channel and chaincode reads their attributes through ClientIdentity.
describeDevnet('certificate authorities (fabric-ca-client)', () => {
  let net: NetworkDescriptor;
  let registrar: Enrolled;
  let officerId: string;
  let officerSecret: string;

  beforeAll(async () => {
    net = testNetwork();
    registrar = await enrollRegistrar(net, EDUCATION);
    officerId = uniqueId('officer');
    officerSecret = await caClient(net, EDUCATION).register(
      {
        enrollmentID: officerId,
        affiliation: 'education.officers',
        role: 'client',
        maxEnrollments: -1, // fabric-ca-client's default is 1

        attrs: [
          { name: 'egov.officer', value: 'registrar-of-diplomas', ecert: true },
          { name: 'egov.clearance', value: 'restricted' },
        ],
      },
      registrar.user,
    );
  });

  async function identityInChaincode(
    who: Enrolled,
  ): Promise<{ mspId: string; attrs: Record<string, string | null> }> {
    const gw = connectGateway(net, who.mspId, who);
    try {
      const contract = gw.gateway.getNetwork(net.channel).getContract(CONFORMANCE_CHAINCODE);
      return JSON.parse(
        Buffer.from(await contract.evaluateTransaction('Identity', JSON.stringify(ATTRS))).toString('utf8'),
      );
    } finally {
      gw.close();
    }
  }

  it('cainfo names the CA and returns the ministry MSP root as its chain', async () => {
    const info = await caClient(net, EDUCATION).getCaInfo(registrar.user);
    expect(info.caName).toBe(orgOf(net, EDUCATION).ca.caName);
    expect(info.caChain).toBe(fs.readFileSync(orgOf(net, EDUCATION).caCertPath, 'utf8'));
  });

  it('serves every endpoint without the /api/v1 prefix too, as Fabric CA does (its Go client calls /cainfo)', async () => {
    const { ca } = orgOf(net, EDUCATION);
    const get = (p: string) =>
      new Promise<{ status: number; body: { success: boolean; result: { CAName: string } } }>(
        (resolve, reject) => {
          const req = https.get(
            `${ca.url}${p}?ca=${ca.caName}`,
            { ca: fs.readFileSync(ca.tls.caCertPath) },
            (res) => {
              let text = '';
              res.on('data', (d: Buffer) => (text += d.toString()));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
            },
          );
          req.on('error', reject);
        },
      );
    for (const p of ['/cainfo', '/api/v1/cainfo']) {
      const answer = await get(p);
      expect([p, answer.status, answer.body.success, answer.body.result.CAName]).toEqual([
        p,
        200,
        true,
        ca.caName,
      ]);
    }
  });

  it('an enrolled officer transacts, and chaincode reads its ecert attributes through ClientIdentity', async () => {
    const officer = await enroll(net, EDUCATION, officerId, officerSecret);
    const cert = new X509Certificate(officer.certificate);
    expect(cert.subject.split('\n')).toEqual(['OU=client', 'OU=education', 'OU=officers', `CN=${officerId}`]);
    expect(cert.checkIssued(new X509Certificate(fs.readFileSync(orgOf(net, EDUCATION).caCertPath)))).toBe(
      true,
    );
    expect(attributeExtension(officer.certificate)).toEqual({
      'egov.officer': 'registrar-of-diplomas',
      'hf.Affiliation': 'education.officers',
      'hf.EnrollmentID': officerId,
      'hf.Type': 'client',
    });
    const seen = await identityInChaincode(officer);
    expect(seen.mspId).toBe(EDUCATION);
    expect(seen.attrs).toEqual({
      'hf.EnrollmentID': officerId,
      'hf.Type': 'client',
      'hf.Affiliation': 'education.officers',
      'egov.officer': 'registrar-of-diplomas',
      'egov.clearance': null,
    });
    // A write endorsed and committed as the officer: every peer's MSP accepts the CA-issued identity.
    const gw = connectGateway(net, EDUCATION, officer);
    try {
      const contract = gw.gateway.getNetwork(net.channel).getContract(CONFORMANCE_CHAINCODE);
      const submitted = await contract.submitAsync('Put', { arguments: [`ca-${officerId}`, 'enrolled'] });
      expect((await submitted.getStatus()).successful).toBe(true);
    } finally {
      gw.close();
    }
  });

  it('attr_reqs select the attributes: a non-ecert one when asked, a missing required one refused', async () => {
    const officer = await enroll(net, EDUCATION, officerId, officerSecret, [
      { name: 'egov.clearance', optional: false },
    ]);
    expect((await identityInChaincode(officer)).attrs).toMatchObject({
      'egov.clearance': 'restricted',
      'egov.officer': null,
      'hf.EnrollmentID': null,
    });
    await expect(
      enroll(net, EDUCATION, officerId, officerSecret, [{ name: 'egov.missing', optional: false }]),
    ).rejects.toThrow(/attribute 'egov.missing' was requested but identity .* does not possess it/);
  });

  it('registration types become NodeOUs: an admin-type identity carries OU admin', async () => {
    const id = uniqueId('ministry-admin');
    const secret = await caClient(net, EDUCATION).register(
      { enrollmentID: id, affiliation: 'education', role: 'admin' },
      registrar.user,
    );
    const admin = await enroll(net, EDUCATION, id, secret);
    expect(new X509Certificate(admin.certificate).subject.split('\n')[0]).toBe('OU=admin');
  });

  it('refuses a wrong secret, a registrar without roles, and an unknown affiliation with Fabric CA errors', async () => {
    await expect(enroll(net, EDUCATION, officerId, 'wrong-secret')).rejects.toThrow(/Authentication failure/);
    const officer = await enroll(net, EDUCATION, officerId, officerSecret);
    await expect(
      caClient(net, EDUCATION).register(
        { enrollmentID: uniqueId('x'), affiliation: 'education' },
        officer.user,
      ),
    ).rejects.toThrow(
      /Authorization failure: '.*' may not act on identities of type 'client' \(hf.Registrar.Roles\)/,
    );
    await expect(
      caClient(net, EDUCATION).register(
        { enrollmentID: uniqueId('x'), affiliation: 'nowhere' },
        registrar.user,
      ),
    ).rejects.toThrow(/affiliation 'nowhere' does not exist/);
  });

  it('lists identities and affiliations for the registrar', async () => {
    const ids = await caClient(net, EDUCATION).newIdentityService().getAll(registrar.user);
    expect(ids.result.identities.map((i: { id: string }) => i.id)).toEqual(
      expect.arrayContaining(['admin', officerId]),
    );
    const affs = await caClient(net, EDUCATION).newAffiliationService().getAll(registrar.user);
    expect(JSON.stringify(affs.result)).toContain('education.officers');
  });

  it('keeps its registry across a restart of the CA process', async () => {
    const ca = orgOf(net, EDUCATION).ca;
    const dir = path.join(net.home, 'nodes', ca.name);
    const pidFile = path.join(dir, 'node.pid');
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    process.kill(pid, 'SIGTERM');
    await waitFor(() => !fs.existsSync(pidFile));
    const out = fs.openSync(path.join(dir, 'node.log'), 'a');
    const child = spawn(process.execPath, [path.join(REPO, 'devnet', 'dist', 'node', 'ca.js')], {
      env: { ...process.env, DEVNET_HOME: net.home, DEVNET_NODE_NAME: ca.name },
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.unref();
    fs.closeSync(out);
    await waitFor(() => fs.existsSync(pidFile));
    const again = await enroll(net, EDUCATION, officerId, officerSecret);
    expect(new X509Certificate(again.certificate).subject).toContain(`CN=${officerId}`);
  });
});

/** Polls a condition that an event outside this process makes true (a process writing or removing its pid file). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((r) => setTimeout(r, 100));
  if (!condition()) throw new Error('condition not reached within 60 s');
}
