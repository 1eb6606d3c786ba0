import { readFileSync, rmSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { signers } from '@hyperledger/fabric-gateway';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../app';
import { ApiError, TransactionPending } from '../errors';
import { RecordsService } from '../records/service';
import { startFakePeer, type FakePeer } from '../testing/fakepeer';
import { generateTestCrypto, type TestCrypto } from '../testing/testcrypto';
import { FabricChaincodeClient } from './chaincodeclient';
import { connectGateway, Deadlines } from './connection';
import { newIdentity, newSigner } from './identity';
import { OfflineTransactions } from './offline';

// Submits through the real @hyperledger/fabric-gateway client against a fake peer that answers as
// Fabric's gateway does: an orderer's outright refusal, a commit status that is slow to come.

jest.setTimeout(60_000);

const HOST_ALIAS = 'peer0.test.local';
const silent = pino({ level: 'silent' });

let crypto: TestCrypto;
let peer: FakePeer;
let client: grpc.Client;
let certificate: string;
/** What the fake orderer refuses the next transactions with (undefined: takes them). */
let refusal: string | undefined;
/** Whether commit statuses come only after 3 s. */
let slowCommits = false;

beforeAll(async () => {
  crypto = await generateTestCrypto(HOST_ALIAS);
  certificate = readFileSync(crypto.certPath, 'utf8');
  peer = await startFakePeer(
    {
      chaincode: () => ({ payload: { ok: true } }),
      ordererRefusal: () => refusal,
      commitStatusDelayMs: () => (slowCommits ? 3_000 : 0),
    },
    { certPem: crypto.serverCertPem, keyPem: crypto.serverKeyPem },
  );
  client = new grpc.Client(
    `127.0.0.1:${peer.port}`,
    grpc.credentials.createSsl(readFileSync(crypto.tlsCaCertPath)),
    { 'grpc.ssl_target_name_override': HOST_ALIAS },
  );
});
afterAll(async () => {
  client?.close();
  await peer?.stop();
  if (crypto) rmSync(crypto.dir, { recursive: true, force: true });
});
beforeEach(() => {
  refusal = undefined;
  slowCommits = false;
});

const profile = () => ({
  mspId: 'EducationMSP',
  channel: 'egov',
  chaincode: { name: 'egov', version: '0.1' },
  peerEndpoint: `127.0.0.1:${peer.port}`,
  peerHostAlias: HOST_ALIAS,
  tlsCaCertPath: crypto.tlsCaCertPath,
  certPath: crypto.certPath,
  keyPath: crypto.keyPath,
});

/** A FabricChaincodeClient as the profile's user, waiting `commitStatusMs` for commits. */
function chaincodeClient(commitStatusMs = Deadlines.commitStatus): FabricChaincodeClient {
  const p = profile();
  const gateway = connectGateway(client, newIdentity(p), newSigner(p), {
    ...Deadlines,
    commitStatus: commitStatusMs,
  });
  return new FabricChaincodeClient(gateway.getNetwork('egov').getContract('egov'), silent);
}

const settings = { mspId: 'EducationMSP', channel: 'egov', chaincode: 'egov', transientEndorsers: [] };
const sign = (digest: Uint8Array): Promise<Uint8Array> =>
  signers.newPrivateKeySigner(createPrivateKey(readFileSync(crypto.keyPath)))(digest);
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** Proposes and endorses through the offline routes; the endorsed transaction's bytes and signature. */
async function endorsedOffline(
  app: ReturnType<typeof createApp>,
): Promise<{ transaction: string; signature: string }> {
  const proposed = await request(app)
    .post('/api/v1/offline/proposals')
    .send({ certificate, transaction: 'ledger:Touch', arguments: ['x'] })
    .expect(200);
  const endorsed = await request(app)
    .post('/api/v1/offline/endorsements')
    .send({
      proposal: proposed.body.proposal,
      signature: b64(await sign(Buffer.from(proposed.body.digest, 'base64'))),
    })
    .expect(200);
  return {
    transaction: endorsed.body.transaction,
    signature: b64(await sign(Buffer.from(endorsed.body.digest, 'base64'))),
  };
}

describe("a submit the orderer refuses outright (Fabric's gateway: Aborted, a 4xx broadcast status)", () => {
  it('is a definite ORDERER_REFUSED naming the status and the transaction, not a 202 UNKNOWN', async () => {
    refusal = 'BAD_REQUEST';
    const outcome = await chaincodeClient()
      .submit('ledger:Touch', ['x'])
      .catch((err: unknown) => err);
    expect(outcome).toBeInstanceOf(ApiError);
    const problem = (outcome as ApiError).toProblem();
    expect(problem).toMatchObject({
      status: 502,
      code: 'ORDERER_REFUSED',
      ordererStatus: 'BAD_REQUEST',
      ordererInfo: 'refused by the fake orderer',
    });
    expect(problem.transactionId).toMatch(/^[0-9a-f]{64}$/);
    expect(problem.detail).toMatch(
      /the orderer refused transaction [0-9a-f]{64} \(BAD_REQUEST\).*not ordered/,
    );
  });

  it('answers 502 ORDERER_REFUSED on POST /api/v1/offline/submissions too', async () => {
    const app = createApp({
      records: {} as RecordsService,
      offline: new OfflineTransactions(client, settings),
      logger: silent,
    });
    const signed = await endorsedOffline(app);
    refusal = 'FORBIDDEN';
    const res = await request(app).post('/api/v1/offline/submissions').send(signed).expect(502);
    expect(res.body).toMatchObject({ code: 'ORDERER_REFUSED', ordererStatus: 'FORBIDDEN' });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('is still committed normally when the orderer takes it', async () => {
    expect(await chaincodeClient().submit('ledger:Touch', ['x'])).toMatchObject({
      result: { ok: true },
      blockNumber: 5,
    });
  });
});

describe('GATEWAY_COMMIT_TIMEOUT_MS (the commitStatus deadline) on the offline routes', () => {
  it('answers POST /offline/commits 202 UNKNOWN once the deadline passes, as the other submits', async () => {
    slowCommits = true;
    const app = createApp({
      records: {} as RecordsService,
      offline: new OfflineTransactions(client, {
        ...settings,
        deadlines: { ...Deadlines, commitStatus: 200 },
      }),
      logger: silent,
    });
    const signed = await endorsedOffline(app);
    const submitted = await request(app).post('/api/v1/offline/submissions').send(signed).expect(200);
    const res = await request(app)
      .post('/api/v1/offline/commits')
      .send({
        commit: submitted.body.commit,
        signature: b64(await sign(Buffer.from(submitted.body.digest, 'base64'))),
      })
      .expect(202);
    expect(res.body).toMatchObject({ status: 'UNKNOWN', transactionId: submitted.body.transactionId });
    // The chaincode client's submit with the same deadline: the same unknown outcome.
    await expect(chaincodeClient(200).submit('ledger:Touch', ['x'])).rejects.toBeInstanceOf(
      TransactionPending,
    );
  });
});
