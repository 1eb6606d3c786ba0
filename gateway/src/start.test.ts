import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import pino from 'pino';
import request from 'supertest';
import { ConfigError, GatewayConfig } from './config';
import { mintDevToken } from './auth/devissuer';
import { RunningGateway, startServer } from './start';
import { ChaincodeAnswer, FakePeer, startFakePeer } from './testing/fakepeer';
import { generateTestCrypto, TestCrypto } from './testing/testcrypto';

// End to end through the real @hyperledger/fabric-gateway client, TLS and the connection profile,
// against a fake peer Gateway service that answers like Fabric's.

// Key generation, TLS and the stores a gateway opens are slow on a loaded machine: generous, not timing-dependent.
jest.setTimeout(60_000);

const HOST_ALIAS = 'peer0.test.local';
const HASH = 'cd'.repeat(32);

const records = new Map<string, unknown>();

function chaincode(fn: string, args: string[]): ChaincodeAnswer {
  switch (fn) {
    case 'org.hyperledger.fabric:GetMetadata':
      return { payload: { contracts: {} } };
    case 'ledger:RegisterRecord': {
      const input = JSON.parse(args[0]) as { id: string };
      if (records.has(input.id)) return { error: `record ${input.id} already exists` };
      return { payload: { id: input.id, hash: HASH, txId: 'ignored', status: 'ACTIVE' } };
    }
    case 'ledger:GetRecord':
      return records.has(args[0])
        ? { payload: records.get(args[0]) }
        : { error: `record ${args[0]} does not exist` };
    case 'GetChainInfo': {
      // qscc's answer (the fake peer serves every chaincode name with this function).
      const info = new common.BlockchainInfo();
      info.setHeight(6);
      return { bytes: info.serializeBinary() };
    }
    case 'ledger:VerifyHash':
      return { payload: args[0] === HASH ? { found: true, id: 'rec-1' } : { found: false } };
    default:
      return { error: `function ${fn} not found` };
  }
}

const body = {
  id: 'rec-1',
  category: 'G2C',
  recordType: 'education.credential',
  subjectRef: 'subj-1a2b3c4d5e6f7a8b',
  payload: { a: 1 },
};

describe('startServer against a fake peer over TLS', () => {
  let crypto: TestCrypto;
  let peer: FakePeer;
  let gateway: RunningGateway;
  let invalidateCommits = false;
  let auth: string;

  beforeAll(async () => {
    crypto = await generateTestCrypto(HOST_ALIAS);
    peer = await startFakePeer(
      { chaincode, validationCode: () => (invalidateCommits ? 11 : 0), blockNumber: 5 },
      { certPem: crypto.serverCertPem, keyPem: crypto.serverKeyPem },
    );
    // A devnet-like home: <home>/profiles/<MSPID>.json, the local token issuer under <home>/auth.
    mkdirSync(path.join(crypto.dir, 'profiles'));
    const profilePath = path.join(crypto.dir, 'profiles', 'ImmigrationMSP.json');
    writeFileSync(
      profilePath,
      JSON.stringify({
        mspId: 'ImmigrationMSP',
        channel: 'egov',
        chaincode: { name: 'egov', version: '0.1' },
        peerEndpoint: `127.0.0.1:${peer.port}`,
        peerHostAlias: HOST_ALIAS,
        // Relative paths resolve against the profile's folder.
        tlsCaCertPath: path.join('..', path.basename(crypto.tlsCaCertPath)),
        certPath: crypto.certPath,
        keyPath: crypto.keyPath,
      }),
    );
    const config: GatewayConfig = { host: '127.0.0.1', port: 0, profilePath, bodyLimitBytes: 1024 * 1024 };
    gateway = await startServer(config, { logger: pino({ level: 'silent' }) });
    // The profile's user is in the wallet as User1 (its certificate's CN before the @).
    auth = `Bearer ${await mintDevToken(crypto.dir, { sub: 'User1' })}`;
  });

  afterAll(async () => {
    await gateway?.close();
    await peer?.stop();
    if (crypto) rmSync(crypto.dir, { recursive: true, force: true });
  });

  it('with GATEWAY_ADMIN_TOKEN, needs the admin profile beside the user profile (or names it)', async () => {
    const profilePath = path.join(crypto.dir, 'profiles', 'ImmigrationMSP.json');
    const config: GatewayConfig = {
      host: '127.0.0.1',
      port: 0,
      profilePath,
      bodyLimitBytes: 1024,
      adminToken: 't'.repeat(16),
    };
    const adminPath = path.join(crypto.dir, 'profiles', 'ImmigrationMSP-admin.json');
    await expect(startServer(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(adminPath);
    writeFileSync(adminPath, readFileSync(profilePath, 'utf8').replace('ImmigrationMSP', 'HealthMSP'));
    await expect(startServer(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(
      'admin profile is of HealthMSP but the gateway serves ImmigrationMSP',
    );
    writeFileSync(adminPath, readFileSync(profilePath, 'utf8'));
    const withAdmin = await startServer(config, { logger: pino({ level: 'silent' }) });
    try {
      await request(withAdmin.url).post('/api/v1/governance/ministries').expect(401);
    } finally {
      await withAdmin.close();
      rmSync(adminPath);
    }
  });

  it('on port 0 keeps its idempotency store in a temporary folder and removes it when closed', async () => {
    // The module object itself: start.ts reads its functions through it (a namespace import's getters).
    const made = jest.spyOn(jest.requireActual<typeof import('node:fs')>('node:fs'), 'mkdtempSync');
    try {
      const config: GatewayConfig = {
        host: '127.0.0.1',
        port: 0,
        profilePath: path.join(crypto.dir, 'profiles', 'ImmigrationMSP.json'),
        bodyLimitBytes: 1024,
      };
      const running = await startServer(config, { logger: pino({ level: 'silent' }) });
      const dirs = made.mock.results
        .map((r) => String(r.value))
        .filter((d) => d.includes('govfabric-idempotency-'));
      expect(dirs).toHaveLength(1);
      expect(existsSync(dirs[0])).toBe(true);
      await running.close();
      expect(existsSync(dirs[0])).toBe(false);
    } finally {
      made.mockRestore();
    }
  });

  it('answers 401 without credentials or with a bad token, except on public routes and probes', async () => {
    const res = await request(gateway.url).get('/api/v1/records/rec-1').expect(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
    await request(gateway.url).get('/api/v1/records/rec-1').set('authorization', `${auth}x`).expect(401);
    await request(gateway.url).post('/api/v1/records').send(body).expect(401);
    await request(gateway.url)
      .get(`/api/v1/records/verify/${'00'.repeat(32)}`)
      .expect(404);
    await request(gateway.url).get('/healthz').expect(200);
  });

  it('registers a record: endorse, submit and commit status through fabric-gateway', async () => {
    const res = await request(gateway.url)
      .post('/api/v1/records')
      .set('authorization', auth)
      .send(body)
      .expect(201);
    expect(res.body).toMatchObject({ id: 'rec-1', hash: HASH, blockNumber: 5, status: 'ACTIVE' });
    expect(res.body.transactionId).toMatch(/^[0-9a-f]{64}$/);
    const endorse = peer.invocations.find((inv) => inv.method === 'Endorse');
    expect(endorse).toMatchObject({
      fn: 'ledger:RegisterRecord',
      args: [JSON.stringify(body)],
      creatorMspId: 'ImmigrationMSP',
    });
    expect(endorse?.txId).toBe(res.body.transactionId);
    records.set('rec-1', { id: 'rec-1', hash: HASH, status: 'ACTIVE' });
  });

  it('maps Fabric endorse error details ("already exists") to 409', async () => {
    const res = await request(gateway.url)
      .post('/api/v1/records')
      .set('authorization', auth)
      .send(body)
      .expect(409);
    expect(res.body.error).toMatchObject({ code: 'ALREADY_EXISTS', message: 'record rec-1 already exists' });
  });

  it('maps a transaction the peer invalidated to 409 with the validation code name', async () => {
    invalidateCommits = true;
    try {
      const res = await request(gateway.url)
        .post('/api/v1/records')
        .set('authorization', auth)
        .send({ ...body, id: 'rec-2' })
        .expect(409);
      expect(res.body.error.code).toBe('TRANSACTION_INVALID');
      expect(res.body.error.details.validationCode).toBe('MVCC_READ_CONFLICT');
    } finally {
      invalidateCommits = false;
    }
  });

  it('reads a record and maps Fabric evaluate errors ("does not exist") to 404', async () => {
    const found = await request(gateway.url)
      .get('/api/v1/records/rec-1')
      .set('authorization', auth)
      .expect(200);
    expect(found.body).toEqual({ id: 'rec-1', hash: HASH, status: 'ACTIVE' });
    const missing = await request(gateway.url)
      .get('/api/v1/records/rec-404')
      .set('authorization', auth)
      .expect(404);
    expect(missing.body.error).toMatchObject({ code: 'NOT_FOUND', message: 'record rec-404 does not exist' });
  });

  it('verifies hashes', async () => {
    await request(gateway.url)
      .get(`/api/v1/records/verify/${HASH}`)
      .expect(200, { found: true, id: 'rec-1' });
    await request(gateway.url)
      .get(`/api/v1/records/verify/${'00'.repeat(32)}`)
      .expect(404);
  });

  it('is healthy and ready while the peer and chaincode answer', async () => {
    await request(gateway.url).get('/healthz').expect(200);
    const ready = await request(gateway.url).get('/readyz').expect(200);
    expect(peer.invocations.some((inv) => inv.fn === 'org.hyperledger.fabric:GetMetadata')).toBe(true);
    // The channel's height, from qscc GetChainInfo.
    expect(ready.body.checks).toEqual({ 'channel egov': { height: '6' } });
  });

  // Last: stops the peer.
  it('answers 503 once the peer is gone, for requests and probes', async () => {
    await peer.stop();
    const res = await request(gateway.url)
      .get('/api/v1/records/rec-1')
      .set('authorization', auth)
      .expect(503);
    expect(res.body.error).toMatchObject({
      code: 'PEER_UNAVAILABLE',
      details: { grpcStatus: 'UNAVAILABLE' },
    });
    const health = await request(gateway.url).get('/healthz').expect(503);
    expect(health.body.failed_checks[0].component).toBe(`peer 127.0.0.1:${peer.port}`);
  });
});

describe('startServer configuration errors', () => {
  it('names a missing connection profile', async () => {
    const config: GatewayConfig = {
      host: '127.0.0.1',
      port: 0,
      profilePath: '/nonexistent/ImmigrationMSP.json',
      bodyLimitBytes: 1024,
    };
    await expect(startServer(config)).rejects.toThrow(ConfigError);
    await expect(startServer(config)).rejects.toThrow(/\/nonexistent\/ImmigrationMSP\.json/);
  });
});
