import type { NetworkDescriptor } from '@govfabric/network-config';
import { caClient, enrollRegistrar } from '../support/ca';
import { peersInSync } from '../support/calls';
import { TEST_GATEWAY_PORT, testNetwork } from '../support/devnet';
import { httpJson, officerToken, startHttpGateway, type HttpGateway } from '../support/http';
import { newSeededRecord } from '../support/seed';

const ADMIN_TOKEN = 'it-officers-admin-token-0123456789';

// Issue 14 on the devnet: one Education gateway serves several officers, each with a Fabric
// identity the gateway registered and enrolled at Education's CA (fabric-ca-client) on first use.
describe('officers through the HTTP gateway', () => {
  const run = `${process.pid}-${Date.now().toString(36)}`;
  const officers = { ana: `ana-${run}`, ben: `ben-${run}`, clerk: `clerk-${run}` };
  let net: NetworkDescriptor;
  let edu: HttpGateway;
  const as = async (who: keyof typeof officers) => officerToken(officers[who]);

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
    const ids: Record<string, string> = {};
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
    for (const who of ['ana', 'ben'] as const) {
      const grant = await httpJson(`${edu.url}/api/v1/authorities/grants`, {
        method: 'POST',
        token: ADMIN_TOKEN,
        body: { holder: ids[who], role: 'issuer', scope: 'G2C/education' },
      });
      expect(grant.status).toBe(201);
    }
    await peersInSync(net);

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
});
