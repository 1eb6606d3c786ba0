import pino from 'pino';
import request from 'supertest';
import { createApp, AppOptions } from '../app';
import { RecordsService } from '../records/service';

const records: RecordsService = {
  registerRecord: async () => {
    throw new Error('not expected');
  },
  getRecord: async (id) => ({ id }),
  verifyHash: async () => ({ found: false }),
};

const appWith = (options: Partial<AppOptions> = {}) =>
  createApp({ records, logger: pino({ level: 'silent' }), ...options });

describe('Host allow-list (DNS rebinding)', () => {
  const app = appWith({ allowedHosts: ['localhost', '127.0.0.1', '[::1]'] });

  it.each(['127.0.0.1:3000', 'localhost', 'LOCALHOST:8080', '[::1]:3000', 'localhost.'])(
    'serves Host %s',
    async (host) => {
      await request(app).get('/api/v1/records/r-1').set('Host', host).expect(200);
    },
  );

  it.each(['attacker.example', 'attacker.example:3000', '127.0.0.1.attacker.example', '10.0.0.1'])(
    'answers Host %s with 421 as problem+json',
    async (host) => {
      const res = await request(app).get('/api/v1/records/r-1').set('Host', host).expect(421);
      expect(res.body).toMatchObject({ code: 'MISDIRECTED_REQUEST', status: 421 });
      expect(res.body.detail).toMatch(/GATEWAY_ALLOWED_HOSTS/);
    },
  );

  it('still answers health probes and metrics for any Host (they reveal no data)', async () => {
    await request(app).get('/healthz').set('Host', 'kubelet.internal').expect(200);
    await request(app).get('/metrics').set('Host', 'prometheus.internal').expect(200);
  });
});

describe('rate limit', () => {
  it('answers 429 as problem+json past the limit per minute, with RateLimit headers', async () => {
    const app = appWith({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) await request(app).get('/api/v1/records/r-1').expect(200);
    const res = await request(app).get('/api/v1/records/r-1').expect(429);
    expect(res.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers.ratelimit).toMatch(/r=0/);
    expect(res.headers['ratelimit-policy']).toMatch(/q=3/);
  });
});

describe('CORS and security headers', () => {
  it('sends no CORS headers unless origins are configured', async () => {
    const res = await request(appWith())
      .get('/api/v1/records/r-1')
      .set('Origin', 'https://evil.example')
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows exactly the configured origins', async () => {
    const app = appWith({ corsOrigins: ['https://portal.example.gov'] });
    const ok = await request(app).get('/api/v1/records/r-1').set('Origin', 'https://portal.example.gov');
    expect(ok.headers['access-control-allow-origin']).toBe('https://portal.example.gov');
    const other = await request(app).get('/api/v1/records/r-1').set('Origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("sets helmet's headers", async () => {
    const res = await request(appWith()).get('/api/v1/records/r-1').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('/metrics', () => {
  it('serves Prometheus text with requests by route pattern, not by raw URL', async () => {
    const app = appWith();
    await request(app).get('/api/v1/records/metrics-probe-1').expect(200);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /govfabric_http_requests_total\{method="GET",route="\/api\/v1\/records\/:id",status="200"\} \d+/,
    );
    expect(res.text).not.toContain('metrics-probe-1');
    expect(res.text).toContain('# TYPE govfabric_fabric_stage_duration_seconds histogram');
    expect(res.text).toContain('govfabric_process_cpu_seconds_total');
  });
});
