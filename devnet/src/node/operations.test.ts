import { Counter } from 'prom-client';
import { OperationsServer, startOperationsServer } from './operations';

async function get(
  port: number,
  path: string,
  method = 'GET',
): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

describe('startOperationsServer', () => {
  let server: OperationsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers /healthz 200 with status OK when every check passes', async () => {
    server = await startOperationsServer({ port: 0, checks: { ledger: async () => undefined } });
    const res = await get(server.port, '/healthz');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.status).toBe('OK');
    expect(Number.isNaN(Date.parse(body.time))).toBe(false);
    expect(body.failed_checks).toBeUndefined();
  });

  it('answers /healthz 503 naming the failed checks', async () => {
    server = await startOperationsServer({
      port: 0,
      checks: {
        ledger: async () => undefined,
        orderer: async () => {
          throw new Error('orderer unreachable');
        },
        broadcast: () => Promise.reject(new Error('chain halted')),
      },
    });
    const res = await get(server.port, '/healthz');
    expect(res.status).toBe(503);
    expect(res.type).toBe('application/json');
    const body = JSON.parse(res.body);
    expect(body.status).toBe('Service Unavailable');
    expect(body.failed_checks).toEqual([
      { component: 'broadcast', reason: 'chain halted' },
      { component: 'orderer', reason: 'orderer unreachable' },
    ]);
  });

  it('answers 408 when the checks take too long', async () => {
    let release = (): void => undefined;
    server = await startOperationsServer({
      port: 0,
      healthTimeoutMs: 50,
      checks: { slow: () => new Promise<void>((resolve) => (release = resolve)) },
    });
    expect((await get(server.port, '/healthz')).status).toBe(408);
    release();
  });

  it('serves /metrics from the default registry, /version, 405 and 404', async () => {
    const c = new Counter({ name: 'ops_test_total', help: 'test counter' });
    c.inc(3);
    server = await startOperationsServer({ port: 0, checks: {}, version: '2.5.0-devnet' });
    const metrics = await get(server.port, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('ops_test_total 3');
    expect(JSON.parse((await get(server.port, '/version')).body)).toEqual({
      Version: '2.5.0-devnet',
      CommitSHA: 'development build',
    });
    expect((await get(server.port, '/healthz', 'POST')).status).toBe(405);
    expect((await get(server.port, '/nope')).status).toBe(404);
  });
});
