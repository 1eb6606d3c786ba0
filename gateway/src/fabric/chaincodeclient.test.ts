import {
  CommitError,
  EndorseError,
  Proposal,
  ProposalOptions,
  Status,
  StatusCode,
} from '@hyperledger/fabric-gateway';
import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import { ApiError, TransactionPending } from '../errors';
import { RequestContext, runWithContext } from '../ops/context';
import { FabricChaincodeClient, GatewayContract } from './chaincodeclient';
import { z } from 'zod';
import { ChaincodeRecordsService } from '../records/chaincoderecords';

const silent = pino({ level: 'silent' });
const enc = (value: unknown): Uint8Array =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

/**
 * A fake Contract recording proposals; `result` is the endorsed result, `status` the commit status
 * (or a function of the proposal's number, from 1).
 */
function fakeContract(result: Uint8Array, status: Partial<Status> | ((n: number) => Partial<Status>) = {}) {
  const proposals: { name: string; options?: ProposalOptions }[] = [];
  let submitted = 0;
  const contract: GatewayContract = {
    newProposal: (name, options) => {
      proposals.push({ name, options });
      const n = proposals.length;
      return {
        getTransactionId: () => 'tx-1',
        endorse: async () => ({
          getResult: () => result,
          submit: async () => {
            submitted += 1;
            return {
              getStatus: async () => ({
                blockNumber: 4n,
                code: 0,
                successful: true,
                transactionId: 'tx-1',
                ...(typeof status === 'function' ? status(n) : status),
              }),
            };
          },
        }),
      } as unknown as Proposal;
    },
    evaluate: async () => result,
  };
  return { contract, proposals, submitted: () => submitted };
}

describe('FabricChaincodeClient', () => {
  it('sends transient fields as JSON bytes and answers the parsed result with the commit', async () => {
    const fake = fakeContract(enc({ id: 'r-2' }));
    const client = new FabricChaincodeClient(fake.contract, silent, ['ImmigrationMSP', 'EducationMSP']);
    const answer = await client.submit('ledger:AmendRecord', ['r-1', '{}'], {
      personal: { fullName: 'Ana' },
    });
    expect(answer).toEqual({ result: { id: 'r-2' }, transactionId: 'tx-1', blockNumber: 4 });
    expect(fake.proposals[0].name).toBe('ledger:AmendRecord');
    expect(fake.proposals[0].options?.arguments).toEqual(['r-1', '{}']);
    const transient = fake.proposals[0].options?.transientData as Record<string, Uint8Array>;
    expect(Buffer.from(transient.personal).toString()).toBe('{"fullName":"Ana"}');
    // Fabric's gateway lets only the collection's members endorse unless the orgs are named.
    expect(fake.proposals[0].options?.endorsingOrganizations).toEqual(['ImmigrationMSP', 'EducationMSP']);
    await client.submit('ledger:RevokeRecord', ['r-1', 'x']);
    expect(fake.proposals[1].options?.endorsingOrganizations).toBeUndefined();
  });

  it("lets a transaction name its own endorsers: a private collection's members only", async () => {
    const fake = fakeContract(enc({ movements: [] }));
    const client = new FabricChaincodeClient(fake.contract, silent, ['ImmigrationMSP', 'EducationMSP']);
    await client.submit('token:PrivateTransfer', [], { token: { amount: '1' } }, undefined, ['EducationMSP']);
    expect(fake.proposals[0].options?.endorsingOrganizations).toEqual(['EducationMSP']);
  });

  it('throws CommitError for an invalidated transaction', async () => {
    const fake = fakeContract(enc({}), { code: 11, successful: false });
    await expect(
      new FabricChaincodeClient(fake.contract, silent).submit('ledger:RevokeRecord', ['r', 'x']),
    ).rejects.toBeInstanceOf(CommitError);
  });

  it('does not submit a result that is not JSON', async () => {
    const fake = fakeContract(enc('not json'));
    const err = await new FabricChaincodeClient(fake.contract, silent)
      .submit('governance:Tally', ['p'])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('BAD_CHAINCODE_RESPONSE');
    expect(fake.submitted()).toBe(0);
  });

  it('does not submit a result of another shape than the caller expects, naming the field', async () => {
    const fake = fakeContract(enc({ id: 7 }));
    const err = await new FabricChaincodeClient(fake.contract, silent)
      .submit('ledger:RegisterRecord', ['{}'], undefined, z.object({ id: z.string() }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect([(err as ApiError).code, (err as ApiError).message]).toEqual([
      'BAD_CHAINCODE_RESPONSE',
      'ledger:RegisterRecord returned an unexpected result',
    ]);
    expect(JSON.stringify((err as ApiError).details)).toContain('"path":"id"');
    expect(fake.submitted()).toBe(0);
  });
});

describe('FabricChaincodeClient retries', () => {
  const MVCC = { code: StatusCode.MVCC_READ_CONFLICT, successful: false };
  const fast = { retries: 3, backoffMs: 1 };

  /** Submits (`governance:Tally` unless `call` says) within a request context; the error or result, and the attempts counted. */
  async function submitIn(
    client: FabricChaincodeClient,
    call = (c: FabricChaincodeClient) => c.submit('governance:Tally', ['p']),
  ) {
    const context: RequestContext = { requestId: 'r' };
    const outcome = await runWithContext(context, () => call(client).catch((err: unknown) => err));
    return { outcome, attempts: context.attempts };
  }

  it('tries a new transaction after MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT, counting attempts', async () => {
    const fake = fakeContract(enc({ ok: true }), (n) =>
      n === 1 ? MVCC : n === 2 ? { code: StatusCode.PHANTOM_READ_CONFLICT, successful: false } : {},
    );
    const { outcome, attempts } = await submitIn(new FabricChaincodeClient(fake.contract, silent, [], fast));
    expect(outcome).toEqual({ result: { ok: true }, transactionId: 'tx-1', blockNumber: 4 });
    expect([fake.proposals.length, fake.submitted(), attempts]).toEqual([3, 3, 3]);
  });

  it('gives up after the configured retries with the last CommitError', async () => {
    const fake = fakeContract(enc({}), MVCC);
    const client = new FabricChaincodeClient(fake.contract, silent, [], { retries: 2, backoffMs: 1 });
    const { outcome, attempts } = await submitIn(client);
    expect(outcome).toBeInstanceOf(CommitError);
    expect((outcome as CommitError).code).toBe(StatusCode.MVCC_READ_CONFLICT);
    expect([fake.proposals.length, attempts]).toEqual([3, 3]);
  });

  /** How an endorsement failed: Fabric's gateway's message and the ErrorDetails (MSP ID, message). */
  interface EndorseFailure {
    message: string;
    details: [mspId: string, message: string][];
  }

  /** A fake whose proposal `n` fails endorsement as `failure(n)` says (undefined: it succeeds). */
  function failingEndorsements(failure: (n: number) => EndorseFailure | undefined) {
    const fake = fakeContract(enc({ ok: true }));
    const original = fake.contract.newProposal;
    fake.contract.newProposal = (name, options) => {
      const proposal = original(name, options);
      const failed = failure(fake.proposals.length);
      if (failed === undefined) return proposal;
      const error = new EndorseError({
        code: grpc.status.ABORTED,
        message: `10 ABORTED: ${failed.message}, see attached details for more info`,
        transactionId: `tx-${fake.proposals.length}`,
        details: failed.details.map(([mspId, message]) => ({
          address: `peer0.${mspId}:7051`,
          mspId,
          message,
        })),
        cause: Object.assign(new Error('10 ABORTED: failed'), {
          code: grpc.status.ABORTED,
          details: 'failed',
          metadata: new grpc.Metadata(),
        }),
      });
      return {
        getTransactionId: () => 'tx-1',
        endorse: async () => Promise.reject(error),
      } as unknown as Proposal;
    };
    return fake;
  }

  const COLLECT = 'failed to collect enough transaction endorsements';
  const FIRST = 'failed to endorse transaction';
  const MISMATCH = 'ProposalResponsePayloads do not match';
  const MISSING = 'chaincode response 500, record r-1 does not exist';

  it('tries a new transaction when the endorsers disagreed: results that differ, or a refusal where another endorser succeeded', async () => {
    const cases: EndorseFailure[] = [
      { message: COLLECT, details: [['HealthMSP', MISMATCH]] },
      // the gateway's own endorser succeeded; a peer a block behind has not seen the record yet
      { message: COLLECT, details: [['HealthMSP', MISSING]] },
    ];
    for (const failed of cases) {
      const fake = failingEndorsements((n) => (n <= 2 ? failed : undefined));
      const { outcome, attempts } = await submitIn(
        new FabricChaincodeClient(fake.contract, silent, [], fast),
      );
      expect(outcome).toEqual({ result: { ok: true }, transactionId: 'tx-1', blockNumber: 4 });
      expect([fake.proposals.length, fake.submitted(), attempts]).toEqual([3, 1, 3]);
    }
  });

  it('retries a refusal among named organizations only when another named one succeeded', async () => {
    const submitPersonal = async (fake: ReturnType<typeof failingEndorsements>) => {
      const client = new FabricChaincodeClient(fake.contract, silent, ['ImmigrationMSP', 'HealthMSP'], fast);
      const personal = (c: FabricChaincodeClient) =>
        c.submit('ledger:RegisterRecord', ['{}'], { personal: {} });
      return (await submitIn(client, personal)).outcome;
    };

    const oneRefused = failingEndorsements((n) =>
      n === 1 ? { message: COLLECT, details: [['HealthMSP', MISSING]] } : undefined,
    );
    expect(await submitPersonal(oneRefused)).toMatchObject({ transactionId: 'tx-1' });
    expect(oneRefused.proposals).toHaveLength(2);
    expect(oneRefused.proposals[1].options?.endorsingOrganizations).toEqual(['ImmigrationMSP', 'HealthMSP']);

    const bothRefused = failingEndorsements(() => ({
      message: COLLECT,
      details: [
        ['ImmigrationMSP', MISSING],
        ['HealthMSP', MISSING],
      ],
    }));
    expect(await submitPersonal(bothRefused)).toBeInstanceOf(EndorseError);
    expect(bothRefused.proposals).toHaveLength(1);
  });

  it('never retries a refusal no endorser contradicts, a failure outside the chaincode, or disagreement past the retries', async () => {
    const never: EndorseFailure[] = [
      // the gateway's first endorser (its own organization's) refused
      { message: FIRST, details: [['ImmigrationMSP', MISSING]] },
      // a peer that could not be reached is not a disagreement about the ledger
      { message: COLLECT, details: [['HealthMSP', 'failed to connect to peer0.health:7051']] },
      {
        message: COLLECT,
        details: [
          ['HealthMSP', MISMATCH],
          ['EducationMSP', 'access denied'],
        ],
      },
    ];
    for (const failed of never) {
      const fake = failingEndorsements(() => failed);
      expect(
        (await submitIn(new FabricChaincodeClient(fake.contract, silent, [], fast))).outcome,
      ).toBeInstanceOf(EndorseError);
      expect(fake.proposals).toHaveLength(1);
    }

    const always = failingEndorsements(() => ({ message: COLLECT, details: [['HealthMSP', MISMATCH]] }));
    const client = new FabricChaincodeClient(always.contract, silent, [], { retries: 2, backoffMs: 1 });
    expect((await submitIn(client)).outcome).toBeInstanceOf(EndorseError);
    expect([always.proposals.length, always.submitted()]).toEqual([3, 0]);
  });

  it('never retries another validation code, a chaincode refusal or an unknown outcome', async () => {
    const policy = fakeContract(enc({}), { code: StatusCode.ENDORSEMENT_POLICY_FAILURE, successful: false });
    expect(
      (await submitIn(new FabricChaincodeClient(policy.contract, silent, [], fast))).outcome,
    ).toBeInstanceOf(CommitError);
    expect(policy.proposals).toHaveLength(1);

    const refused = failingEndorsements(() => ({ message: 'refused', details: [] }));
    expect(
      (await submitIn(new FabricChaincodeClient(refused.contract, silent, [], fast))).outcome,
    ).toBeInstanceOf(EndorseError);
    expect(refused.proposals).toHaveLength(1);

    const unknown = fakeContract(enc({}));
    const original = unknown.contract.newProposal;
    unknown.contract.newProposal = (name, options) => {
      const proposal = original(name, options);
      return {
        getTransactionId: () => 'tx-1',
        endorse: async () => {
          const endorsed = await proposal.endorse();
          return {
            getResult: () => endorsed.getResult(),
            submit: async () => Promise.reject(new Error('orderer gone')),
          };
        },
      } as unknown as Proposal;
    };
    const { outcome } = await submitIn(new FabricChaincodeClient(unknown.contract, silent, [], fast));
    expect(outcome).toBeInstanceOf(TransactionPending);
    expect(unknown.proposals).toHaveLength(1);
  });
});

describe('ChaincodeRecordsService personal data', () => {
  it('moves `personal` out of the arguments into the transient map', async () => {
    const fake = fakeContract(enc({ id: 'r-1', hash: 'h', status: 'ACTIVE' }));
    const record = {
      id: 'r-1',
      category: 'G2C' as const,
      recordType: 'a.b',
      subjectRef: 'subj-0123456789abcdef',
      payload: { year: 1 },
    };
    await new ChaincodeRecordsService(new FabricChaincodeClient(fake.contract, silent)).registerRecord({
      ...record,
      personal: { fullName: 'Ana' },
    });
    expect(fake.proposals[0].options?.arguments).toEqual([JSON.stringify(record)]);
    const transient = fake.proposals[0].options?.transientData as Record<string, Uint8Array>;
    expect(JSON.parse(Buffer.from(transient.personal).toString())).toEqual({ fullName: 'Ana' });
  });
});
