import { CommitError, Proposal, ProposalOptions, Status } from '@hyperledger/fabric-gateway';
import pino from 'pino';
import { ApiError } from '../errors';
import { FabricChaincodeClient, GatewayContract } from './chaincodeclient';
import { z } from 'zod';
import { ChaincodeRecordsService } from '../records/chaincoderecords';

const silent = pino({ level: 'silent' });
const enc = (value: unknown): Uint8Array =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

/** A fake Contract recording proposals; `result` is the endorsed result, `status` the commit status. */
function fakeContract(result: Uint8Array, status: Partial<Status> = {}) {
  const proposals: { name: string; options?: ProposalOptions }[] = [];
  let submitted = 0;
  const contract: GatewayContract = {
    newProposal: (name, options) => {
      proposals.push({ name, options });
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
                ...status,
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
