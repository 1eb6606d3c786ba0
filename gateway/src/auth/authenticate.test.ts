import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import type { Gateway } from '@hyperledger/fabric-gateway';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import type { ChaincodeClient } from '../chaincode/client';
import { CaEnroller } from '../wallet/enroller';
import { cnOf, fakeCa } from '../testing/fakeca';
import { IdentityPool } from '../wallet/identities';
import { FileWallet, type WalletIdentity } from '../wallet/wallet';
import { ApiKeyAuthenticator, createApiKey, readApiKeyFile } from './apikeys';
import { authenticate } from './authenticate';
import { CallerClients, type IdentityClients } from './callerclients';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevIssuer, mintDevToken } from './devissuer';
import { JwtAuthenticator } from './jwt';

// scrypt and key generation are slow on a loaded machine: generous, not timing-dependent.
jest.setTimeout(60_000);

const ADMIN_TOKEN = 'admin-token-0123456789-abcdef';
const PASSPHRASE = 'wallet passphrase 0123456789';

/** Clients answering with the CN of the identity they sign as (a found record for `ledger:` reads). */
function clientsAs(who: string): IdentityClients {
  const chaincode: ChaincodeClient = {
    evaluate: async (transaction) =>
      transaction.startsWith('ledger:') ? { found: true, as: who } : { as: who, transaction },
    submit: async (transaction) => ({
      result: { as: who, transaction },
      transactionId: 'a'.repeat(64),
      blockNumber: 1,
    }),
  };
  return { chaincode };
}

describe('authentication and per-caller identities', () => {
  let home: string;
  let logLines: string[];
  let app: ReturnType<typeof createApp>;
  let apiKey: string;
  let calls: string[];

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'gateway-authn-'));
    const keysFile = path.join(home, 'keys.json');
    apiKey = createApiKey(keysFile, 'registry-sync');
    const secretPath = path.join(home, 'registrar-secret');
    writeFileSync(secretPath, 'registrar-bootstrap-secret');
    const wallet = new FileWallet(path.join(home, 'wallet'), PASSPHRASE);
    const fake = fakeCa();
    calls = fake.calls;
    const enroller = new CaEnroller(
      { url: 'x', caName: 'ca', tlsCaCertPath: 'x', registrar: { enrollmentId: 'admin', secretPath } },
      'EducationMSP',
      wallet,
      fake.ca,
    );
    logLines = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _enc, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
    const pool = new IdentityPool<IdentityClients>(
      wallet,
      enroller,
      (identity: WalletIdentity) => ({ identity, close: () => undefined }) as unknown as Gateway,
      (g) => {
        const identity = (g as unknown as { identity?: WalletIdentity }).identity;
        return clientsAs(identity ? cnOf(identity.certificate) : 'ministry-admin');
      },
      logger,
    );
    pool.preset('admin', { identity: undefined, close: () => undefined } as unknown as Gateway);
    const callers = new CallerClients(pool, clientsAs('gateway'));
    app = createApp({
      records: callers.records(),
      chaincode: callers.clients(),
      adminToken: ADMIN_TOKEN,
      authenticate: authenticate({
        jwt: new JwtAuthenticator({
          issuer: DEV_ISSUER,
          audience: DEV_AUDIENCE,
          jwks: ensureDevIssuer(home).jwksPath,
        }),
        apiKeys: new ApiKeyAuthenticator(readApiKeyFile(keysFile)),
        adminToken: ADMIN_TOKEN,
      }),
      logger,
    });
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('refuses every non-public route without credentials, with a Bearer challenge', async () => {
    for (const url of ['/api/v1/records/r-1', '/api/v1/authorities/me', '/api/v1/records/r-1/history']) {
      const res = await request(app).get(url).expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="govfabric"/);
      expect(res.body.detail).toContain('authentication required');
    }
    await request(app).post('/api/v1/records').send({}).expect(401);
    await request(app).get('/api/v1/records/r-1').set('authorization', 'Basic abc').expect(401);
  });

  it('serves health and record verification without credentials, as the gateway identity', async () => {
    await request(app).get('/healthz').expect(200);
    const res = await request(app)
      .get(`/api/v1/records/verify/${'ab'.repeat(32)}`)
      .expect(200);
    expect(res.body).toMatchObject({ as: 'gateway' });
  });

  it('signs as each officer’s own identity, enrolled at the CA on first use only', async () => {
    const ana = await mintDevToken(home, { sub: 'ana' });
    const ben = await mintDevToken(home, { sub: 'ben' });
    const [a1, b1, a2] = await Promise.all([
      request(app).get('/api/v1/authorities/me').set('authorization', `Bearer ${ana}`),
      request(app).get('/api/v1/authorities/me').set('authorization', `Bearer ${ben}`),
      request(app).get('/api/v1/records/r-1').set('authorization', `Bearer ${ana}`),
    ]);
    expect([a1.status, b1.status, a2.status]).toEqual([200, 200, 200]);
    expect(a1.body).toEqual({ as: 'ana', transaction: 'authorities:WhoAmI' });
    expect(b1.body).toEqual({ as: 'ben', transaction: 'authorities:WhoAmI' });
    expect(a2.body).toEqual({ found: true, as: 'ana' });
    // ana's and ben's requests run concurrently: which one reaches the CA first is not fixed (JWT
    // checks and wallet reads complete in any order under load). Each is registered exactly once.
    expect(calls.filter((c) => c.startsWith('register')).sort()).toEqual([
      'register ana by admin',
      'register ben by admin',
    ]);
  });

  it('authenticates a system by its API key as its own identity', async () => {
    const res = await request(app).get('/api/v1/records/r-1').set('x-api-key', apiKey).expect(200);
    expect(res.body).toEqual({ found: true, as: 'system-registry-sync' });
    await request(app).get('/api/v1/records/r-1').set('x-api-key', `${apiKey}x`).expect(401);
  });

  it('never writes tokens, keys, secrets or the passphrase to logs or error bodies', async () => {
    const token = await mintDevToken(home, { sub: 'carla' });
    const foreign = await mintDevToken(home, { sub: 'carla', audience: 'someone-else' });
    const bodies: string[] = [];
    const send = async (headers: Record<string, string>, url = '/api/v1/records/r-1') => {
      let req = request(app).get(url);
      for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
      bodies.push((await req).text);
    };
    await send({ authorization: `Bearer ${token}` });
    await send({ authorization: `Bearer ${foreign}` });
    await send({ authorization: `Bearer ${token.slice(0, -2)}` });
    await send({ authorization: `Bearer ${ADMIN_TOKEN}x` });
    await send({ 'x-api-key': apiKey });
    await send({ 'x-api-key': `${apiKey.slice(0, -1)}Q` });
    await send({ authorization: `Bearer ${ADMIN_TOKEN}` }, '/api/v1/authorities/me?as=admin');
    await send({ authorization: `Bearer ${token}`, 'x-api-key': apiKey });
    const secrets = [
      token,
      token.split('.')[2],
      foreign.split('.')[2],
      ADMIN_TOKEN,
      apiKey,
      apiKey.split('_').slice(2).join('_'), // the secret is base64url: it may hold '_' itself
      PASSPHRASE,
      'registrar-bootstrap-secret',
      'secret-of-carla',
      readFileSync(path.join(home, 'auth', 'issuer-key.pem'), 'utf8').split('\n')[1],
    ];
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      for (const body of bodies) expect(body).not.toContain(secret);
    }
    // the wallet on disk holds no key in the clear either
    const walletFile = readFileSync(path.join(home, 'wallet', 'carla.id'), 'utf8');
    expect(walletFile).not.toContain('PRIVATE KEY');
  });
});
