import type { NetworkDescriptor } from '@govfabric/network-config';
import { peersInSync } from '../support/calls';
import { testNetwork } from '../support/devnet';
import { httpJson, startHttpGateway, type HttpGateway } from '../support/http';
import { connectLegacy, invokeLegacy, queryLegacy, type LegacyClient } from '../support/legacy';
import { expectedHash, newRecord, saltTransient } from '../support/records';
import { newSeededRecord } from '../support/seed';

// A record crosses both client paths: the HTTP gateway (fabric-gateway → the peer's Gateway service)
// and fabric-common (the peer CLI's path: ProcessProposal, Broadcast, DeliverFiltered).
describe('records between the HTTP gateway and the peer CLI path', () => {
  let net: NetworkDescriptor;
  let http: HttpGateway;
  let legacy: LegacyClient;

  beforeAll(async () => {
    net = testNetwork();
    http = await startHttpGateway(net.home, 'ImmigrationMSP');
    legacy = await connectLegacy(net, 'EducationMSP');
  });

  afterAll(async () => {
    legacy?.close();
    await http?.stop();
  });

  it('registers over HTTP and reads the record back through fabric-common on two other ministries', async () => {
    // The HTTP gateway serves ImmigrationMSP, whose User1 issues immigration records.
    const record = newSeededRecord('immigration.residence-permit');
    const created = await httpJson(`${http.url}/api/v1/records`, { method: 'POST', body: record });
    await peersInSync(net); // committed on Immigration's peer; read next on the others
    expect(created.status).toBe(201);
    expect(created.body.hash).toBe(expectedHash(record.id, record.payload, created.body.salt));
    expect(created.body.transactionId).toMatch(/^[0-9a-f]{64}$/);
    expect(created.body.blockNumber).toBeGreaterThan(0);

    for (const msp of ['EducationMSP', 'HealthMSP']) {
      const stored = JSON.parse(await queryLegacy(legacy, msp, 'ledger:GetRecord', [record.id]));
      expect(stored).toMatchObject({
        id: record.id,
        hash: created.body.hash,
        issuerMsp: 'ImmigrationMSP',
        status: 'ACTIVE',
      });
    }
    const verified = JSON.parse(
      await queryLegacy(legacy, 'HealthMSP', 'ledger:VerifyHash', [created.body.hash]),
    );
    expect(verified).toMatchObject({ found: true, id: record.id, status: 'ACTIVE' });
  });

  it('registers through fabric-common with three endorsers (a majority of four) and verifies it over HTTP', async () => {
    // fabric-common signs as EducationMSP's User1, the issuer of education records.
    const record = newRecord();
    const result = await invokeLegacy(
      legacy,
      ['EducationMSP', 'HealthMSP', 'CentralBankMSP'],
      'ledger:RegisterRecord',
      [JSON.stringify(record)],
      saltTransient(record.id),
    );
    expect(result.validationCode).toBe('VALID');
    expect(result.blockNumber).toBeGreaterThan(0);
    const hash = expectedHash(record.id, record.payload);
    expect(JSON.parse(result.payload)).toMatchObject({ id: record.id, hash });

    const got = await httpJson(`${http.url}/api/v1/records/${record.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: record.id, issuerMsp: 'EducationMSP', hash });

    const verified = await httpJson(`${http.url}/api/v1/records/verify/${hash}`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ found: true, id: record.id });
  });

  it('answers a hash that was never registered as not found, and a malformed one as a bad request', async () => {
    const unknown = await httpJson(
      `${http.url}/api/v1/records/verify/${expectedHash('never', { never: 'registered' })}`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.found).toBe(false);
    const malformed = await httpJson(`${http.url}/api/v1/records/verify/not-a-hash`);
    expect(malformed.status).toBe(400);
  });
});
