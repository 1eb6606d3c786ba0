import { createHash, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { signers } from '@hyperledger/fabric-gateway';
import { gateway } from '@hyperledger/fabric-protos';
import { p256 } from '@noble/curves/p256';
import { ApiError } from '../errors';
import { generateTestCrypto, type TestCrypto } from '../testing/testcrypto';
import { checkClientSignature } from './clientsignature';
import { OfflineTransactions } from './offline';
import { parseCommitStatusRequest, parseProposal, parseTransaction } from './signedmessages';

let crypto: TestCrypto;
let certificate: string;
let key: KeyObject;
// Never dialled: building and checking proposals needs no peer.
const client = new grpc.Client('127.0.0.1:1', grpc.credentials.createInsecure());
const settings = {
  mspId: 'EducationMSP',
  channel: 'egov',
  chaincode: 'egov',
  transientEndorsers: ['EducationMSP', 'HealthMSP'],
};
const offline = new OfflineTransactions(client, settings);

beforeAll(async () => {
  crypto = await generateTestCrypto('peer0.test.local');
  certificate = readFileSync(crypto.certPath, 'utf8');
  key = createPrivateKey(readFileSync(crypto.keyPath));
});
afterAll(() => {
  client.close();
  rmSync(crypto.dir, { recursive: true, force: true });
});

const sign = async (digest: Uint8Array): Promise<Uint8Array> => signers.newPrivateKeySigner(key)(digest);

/** The ApiError `fn` throws (or rejects with). */
async function apiError(fn: () => unknown): Promise<ApiError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('offline signing: the proposal the gateway builds', () => {
  it("is the client's: its certificate as creator, the gateway's channel and chaincode, the digest of its signed bytes", () => {
    const proposal = offline.propose({ certificate, transaction: 'authorities:WhoAmI', arguments: [] });
    const parsed = parseProposal(proposal.bytes);
    expect(parsed).toMatchObject({
      transactionId: proposal.transactionId,
      channel: 'egov',
      chaincode: 'egov',
      creator: { mspId: 'EducationMSP', certificate },
    });
    expect(Buffer.from(proposal.digest)).toEqual(createHash('sha256').update(parsed.signedBytes).digest());
  });

  it('refuses a certificate that is not one, before building anything', async () => {
    const err = await apiError(() =>
      offline.propose({ certificate: 'nope', transaction: 'a:B', arguments: [] }),
    );
    expect([err.code, err.message]).toEqual([
      'VALIDATION_FAILED',
      'certificate is not a PEM X.509 certificate',
    ]);
  });
});

describe('offline signing: what the gateway sends on', () => {
  it("checks the client's signature as Fabric does: over the digest, DER, low S only", async () => {
    const { bytes, digest } = offline.propose({
      certificate,
      transaction: 'authorities:WhoAmI',
      arguments: [],
    });
    const { signedBytes } = parseProposal(bytes);
    const signature = await sign(digest);
    expect(() => checkClientSignature(certificate, signedBytes, signature, 'proposal')).not.toThrow();
    const s = p256.Signature.fromDER(signature);
    const highS = new p256.Signature(s.r, p256.CURVE.n - s.s).toDERRawBytes();
    for (const bad of [highS, await sign(createHash('sha256').update('other').digest()), new Uint8Array(8)]) {
      expect(() => checkClientSignature(certificate, signedBytes, bad, 'proposal')).toThrow(
        "the signature of the proposal does not verify against its creator's certificate",
      );
    }
  });

  it('refuses a forged signature, another ministry and garbage with 4xx, before the network sees them', async () => {
    const { bytes } = offline.propose({ certificate, transaction: 'authorities:WhoAmI', arguments: [] });
    expect((await apiError(() => offline.endorse(bytes, new Uint8Array(70)))).code).toBe('VALIDATION_FAILED');
    const foreign = new OfflineTransactions(client, { ...settings, mspId: 'HealthMSP' });
    const other = await apiError(() => foreign.evaluate(bytes, new Uint8Array(70)));
    expect([other.code, other.message]).toEqual([
      'FORBIDDEN',
      'the proposal was created by EducationMSP; this gateway serves HealthMSP',
    ]);
    const elsewhere = new OfflineTransactions(client, { ...settings, channel: 'other' });
    expect((await apiError(() => elsewhere.evaluate(bytes, new Uint8Array(70)))).message).toBe(
      'the proposal is for channel egov; this gateway serves other',
    );
    for (const parse of [parseProposal, parseTransaction, parseCommitStatusRequest]) {
      expect(() => parse(Buffer.from('not a protobuf message at all'))).toThrow(ApiError);
      expect(() => parse(new Uint8Array(0))).toThrow(/is empty or incomplete|not a valid protobuf message/);
    }
  });

  it('names the endorsing organizations for a proposal with transient data, as the other routes do', () => {
    const { bytes } = offline.propose({
      certificate,
      transaction: 'ledger:RegisterRecord',
      arguments: ['{}'],
      transient: { salt: new Uint8Array(32) },
    });
    expect(gateway.ProposedTransaction.deserializeBinary(bytes).getEndorsingOrganizationsList()).toEqual([
      'EducationMSP',
      'HealthMSP',
    ]);
  });
});
