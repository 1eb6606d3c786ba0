import { createPrivateKey, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { OfflineSigningClient } from '../../examples/offline-signing/client';
import { caClient, enroll, enrollRegistrar } from '../support/ca';
import { peersInSync } from '../support/calls';
import { TEST_GATEWAY_PORT, devnetCli, realFabricNetworkFile, testNetwork } from '../support/devnet';
import { httpJson, officerToken, startHttpGateway, type HttpGateway } from '../support/http';
import { newSeededRecord } from '../support/seed';

const ADMIN_TOKEN = 'it-officers-admin-token-0123456789';

// The native Fabric network of test:fabric runs no certificate authority (no Fabric CA binary is
// built or shipped; cryptogen made its identities): officers enrolled on first use need devnet's CAs.
const describeWithCA =
  realFabricNetworkFile() === undefined
    ? describe
    : (name: string, fn: () => void) =>
        describe.skip(`${name} (needs a certificate authority: skipped on the native Fabric network)`, fn);

// Issue 14 on the devnet: one Education gateway serves several officers, each with a Fabric
// identity the gateway registered and enrolled at Education's CA (fabric-ca-client) on first use.
describeWithCA('officers through the HTTP gateway', () => {
  const run = `${process.pid}-${Date.now().toString(36)}`;
  const officers = { ana: `ana-${run}`, ben: `ben-${run}`, clerk: `clerk-${run}` };
  let net: NetworkDescriptor;
  let edu: HttpGateway;
  const as = async (who: keyof typeof officers) => officerToken(officers[who]);
  const ids: Record<string, string> = {};

  /** Education's admin grants `holder` the issuer role for education records, on every peer. */
  async function grantIssuer(holder: string): Promise<void> {
    const grant = await httpJson(`${edu.url}/api/v1/authorities/grants`, {
      method: 'POST',
      token: ADMIN_TOKEN,
      body: { holder, role: 'issuer', scope: 'G2C/education' },
    });
    expect(grant.status).toBe(201);
    await peersInSync(net);
  }

  beforeAll(async () => {
    net = testNetwork();
    edu = await startHttpGateway(net.home, 'EducationMSP', TEST_GATEWAY_PORT + 6, {
      GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    });
  });

  afterAll(async () => {
    await edu?.stop();
  });

  it('enrolls each officer at the CA, signs their records as them, and refuses one without the role', async () => {
    // First use: the gateway registers and enrolls each officer at Education's CA.
    for (const who of ['ana', 'ben', 'clerk'] as const) {
      const me = await httpJson(`${edu.url}/api/v1/authorities/me`, { token: await as(who) });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ mspId: 'EducationMSP', ministryAdmin: false });
      expect(me.body.id).toContain(`CN=${officers[who]}`);
      expect(me.body.id).toContain('ca.education.egov.local');
      ids[who] = me.body.id;
    }
    // The CA knows them as clients registered by the gateway.
    const registrar = await enrollRegistrar(net, 'EducationMSP');
    const known = await caClient(net, 'EducationMSP')
      .newIdentityService()
      .getOne(officers.ana, registrar.user);
    expect(known.result).toMatchObject({ id: officers.ana, type: 'client' });

    // Education's admin makes Ana and Ben issuers; the clerk gets nothing.
    for (const who of ['ana', 'ben'] as const) await grantIssuer(ids[who]);

    for (const who of ['ana', 'ben'] as const) {
      const record = newSeededRecord('education.credential');
      const created = await httpJson(`${edu.url}/api/v1/records`, {
        method: 'POST',
        token: await as(who),
        body: record,
      });
      expect(created.status).toBe(201);
      const trail = await httpJson(`${edu.url}/api/v1/audit/records/${record.id}/trail`, {
        token: await as(who),
      });
      expect(trail.status).toBe(200);
      expect(trail.body.items).toEqual([
        expect.objectContaining({ action: 'RECORD_REGISTERED', actorMsp: 'EducationMSP', actorId: ids[who] }),
      ]);
    }

    const refused = await httpJson(`${edu.url}/api/v1/records`, {
      method: 'POST',
      token: await as('clerk'),
      body: newSeededRecord('education.credential'),
    });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('lacks role issuer for scope G2C/education.credential');
  });

  it("refuses a revoked officer's records through the gateway once the CRL is in the channel config; others go on", async () => {
    // Education's CA revokes Ben (fabric-ca-client, gencrl) and a channel config update puts the CRL
    // in EducationMSP on every peer (as test/conformance/revocation.test.ts does on its own).
    const registrar = await enrollRegistrar(net, 'EducationMSP');
    const request = { enrollmentID: officers.ben, reason: 'keycompromise', gencrl: true };
    const revoked = await caClient(net, 'EducationMSP').revoke(
      request as { enrollmentID: string },
      registrar.user,
    );
    expect(revoked.result.RevokedCerts).toHaveLength(1);
    const crlFile = path.join(net.home, `crl-${officers.ben}.pem`);
    fs.writeFileSync(crlFile, Buffer.from(revoked.result.CRL, 'base64'));
    expect(devnetCli(net.home, `crl EducationMSP ${crlFile}`)).toMatch(
      /revocation list is in the channel config/,
    );

    const refused = await httpJson(`${edu.url}/api/v1/records`, {
      method: 'POST',
      token: await as('ben'),
      body: newSeededRecord('education.credential'),
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'FORBIDDEN' });
    expect(JSON.stringify(refused.body)).toMatch(/access denied/);
    const stillIssuing = await httpJson(`${edu.url}/api/v1/records`, {
      method: 'POST',
      token: await as('ana'),
      body: newSeededRecord('education.credential'),
    });
    expect(stillIssuing.status).toBe(201);
  });

  it('commits a record an officer signed offline with a key only she holds (examples/offline-signing)', async () => {
    // Registered and enrolled with fabric-ca-client here: the key never leaves this test.
    const registrar = await enrollRegistrar(net, 'EducationMSP');
    const dora = `dora-${run}`;
    const secret = await caClient(net, 'EducationMSP').register(
      { enrollmentID: dora, affiliation: 'education.officers', role: 'client' },
      registrar.user,
    );
    const enrolled = await enroll(net, 'EducationMSP', dora, secret);
    const client = new OfflineSigningClient({
      gatewayUrl: edu.url,
      token: await officerToken(dora),
      certificate: enrolled.certificate,
      privateKey: createPrivateKey(enrolled.privateKeyPem),
    });
    const me = JSON.parse(Buffer.from(await client.evaluate('authorities:WhoAmI')).toString());
    expect(me).toMatchObject({ mspId: 'EducationMSP', ministryAdmin: false });
    expect(me.id).toContain(`CN=${dora}`);
    await grantIssuer(me.id);

    const record = newSeededRecord('education.credential');
    const committed = await client.submit('ledger:RegisterRecord', [JSON.stringify(record)], {
      salt: randomBytes(32),
    });
    expect(committed.blockNumber).toBeGreaterThan(0);
    expect(JSON.parse(Buffer.from(committed.result).toString())).toMatchObject({
      id: record.id,
      txId: committed.transactionId,
    });
    await peersInSync(net);
    const trail = await httpJson(`${edu.url}/api/v1/audit/records/${record.id}/trail`, {
      token: await as('ana'),
    });
    expect(trail.body.items).toEqual([
      expect.objectContaining({ action: 'RECORD_REGISTERED', actorMsp: 'EducationMSP', actorId: me.id }),
    ]);
    // A signature over anything else is the client's mistake, answered before the network sees it.
    const proposal = await httpJson(`${edu.url}/api/v1/offline/proposals`, {
      method: 'POST',
      token: await officerToken(dora),
      body: { certificate: enrolled.certificate, transaction: 'authorities:WhoAmI', arguments: [] },
    });
    expect(proposal.status).toBe(200);
    const forged = await httpJson(`${edu.url}/api/v1/offline/evaluations`, {
      method: 'POST',
      token: await officerToken(dora),
      body: { proposal: proposal.body.proposal, signature: Buffer.alloc(70, 1).toString('base64') },
    });
    expect(forged.status).toBe(400);
    expect(forged.body.detail).toContain('the signature of the proposal does not verify');
  });
});
