/* eslint-disable @typescript-eslint/no-explicit-any -- tests read fields of arbitrary JSON answers */
import { randomUUID } from 'node:crypto';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { TEST_GATEWAY_PORT, testNetwork } from '../support/devnet';
import { officerToken, startHttpGateway, untilStatus as until, type HttpGateway } from '../support/http';
import { newSeededRecord } from '../support/seed';

/** POSTs JSON with extra headers; status, Location and parsed body. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await officerToken()}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    location: res.headers.get('location'),
    replayed: res.headers.get('idempotent-replayed') === 'true',
    attempts: res.headers.get('transaction-attempts'),
    body: (await res.json()) as any,
  };
}

// Issue 17: sync and async submit, transaction status from the ledger (also after a restart),
// idempotent retries, unknown outcomes (/readyz while the peer is stopped: gateway-readiness.test.ts).
describe('gateway operations: submit outcomes, transaction status, readiness', () => {
  let net: NetworkDescriptor;
  let gw: HttpGateway;
  const port = TEST_GATEWAY_PORT + 5;

  beforeAll(async () => {
    net = testNetwork();
    gw = await startHttpGateway(net.home, 'ImmigrationMSP', port);
  });

  afterAll(async () => {
    await gw?.stop();
  });

  it('answers a synchronous submit with its block, and the status URL agrees from the ledger', async () => {
    const record = newSeededRecord('immigration.residence-permit');
    const created = await post(`${gw.url}/api/v1/records`, record);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: record.id, status: 'ACTIVE', hash: expect.any(String) });
    expect(created.attempts).toBe('1');
    const status = await until(`${gw.url}/api/v1/transactions/${created.body.transactionId}`, 200);
    expect(status).toEqual({
      transactionId: created.body.transactionId,
      valid: true,
      validationCode: 'VALID',
      blockNumber: created.body.blockNumber,
    });
  });

  it('answers Prefer: respond-async with 202 and a status URL that turns 200 VALID, also after a gateway restart', async () => {
    const record = newSeededRecord('immigration.residence-permit');
    const accepted = await post(`${gw.url}/api/v1/records`, record, { prefer: 'respond-async' });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'SUBMITTED' });
    expect(accepted.location).toBe(`/api/v1/transactions/${accepted.body.transactionId}`);
    const status = await until(`${gw.url}${accepted.location}`, 200);
    expect(status).toMatchObject({ valid: true, validationCode: 'VALID' });
    expect(await until(`${gw.url}/api/v1/records/${record.id}`, 200)).toMatchObject({ id: record.id });

    await gw.stop();
    gw = await startHttpGateway(net.home, 'ImmigrationMSP', port);
    expect(await until(`${gw.url}${accepted.location}`, 200)).toEqual(status);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(
      /govfabric_fabric_stage_duration_seconds_count\{stage="evaluate",outcome="ok"\} [1-9]/,
    );
  });

  it('answers 50 concurrent identical requests with one Idempotency-Key with one transaction, also after a restart', async () => {
    const record = newSeededRecord('immigration.residence-permit');
    const key = { 'idempotency-key': randomUUID() };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => post(`${gw.url}/api/v1/records`, record, key)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    const first = answers[0].body;
    expect(await until(`${gw.url}/api/v1/transactions/${first.transactionId}`, 200)).toMatchObject({
      valid: true,
      blockNumber: first.blockNumber,
    });

    await gw.stop();
    gw = await startHttpGateway(net.home, 'ImmigrationMSP', port);
    const retried = await post(`${gw.url}/api/v1/records`, record, key);
    expect([retried.status, retried.replayed, retried.body]).toEqual([201, true, first]);
    const changed = await post(
      `${gw.url}/api/v1/records`,
      { ...record, subjectRef: `${record.subjectRef}x` },
      key,
    );
    expect([changed.status, changed.body.code]).toEqual([422, 'IDEMPOTENCY_CONFLICT']);
  });

  it('answers a submit whose commit status does not come in time with 202 UNKNOWN, resolved through the status URL', async () => {
    // A second gateway that waits 1 ms for commit statuses: every submit's outcome is unknown.
    const hasty = await startHttpGateway(net.home, 'ImmigrationMSP', TEST_GATEWAY_PORT + 15, {
      GATEWAY_COMMIT_TIMEOUT_MS: '1',
    });
    try {
      const record = newSeededRecord('immigration.residence-permit');
      const pending = await post(`${hasty.url}/api/v1/records`, record);
      expect([pending.status, pending.body.status]).toEqual([202, 'UNKNOWN']);
      expect(pending.location).toBe(`/api/v1/transactions/${pending.body.transactionId}`);
      expect(await until(`${hasty.url}${pending.location}`, 200)).toMatchObject({
        transactionId: pending.body.transactionId,
        valid: true,
        validationCode: 'VALID',
      });
      expect(await until(`${gw.url}/api/v1/records/${record.id}`, 200)).toMatchObject({ id: record.id });
    } finally {
      await hasty.stop();
    }
  });
});
