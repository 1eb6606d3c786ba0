import type { Proposal, Transaction } from '@hyperledger/fabric-gateway';
import { common, gateway, msp, peer } from '@hyperledger/fabric-protos';
import { conformanceNetwork, failureOf, text, uniqueKey } from './support';

// The gateway protects transient data: with no endorsing organisations named, it sends a proposal
// carrying transient data only to members of the collections the transaction writes, and says so
// when they alone cannot satisfy the endorsement policies (fabric internal/pkg/gateway/endorse.go
// planFromFirstEndorser). Discovery knows an organisation's implicit collection too: its members
// and its endorsement policy are that organisation's members (core/chaincode/lifecycle
// metadata_provider.go), so a salt written there beside public state needs named endorsers.
const c = conformanceNetwork();
const [org1, org2] = c.mspIds;
const conn = c.gateway(org1);
const cc = c.contract(conn);
afterAll(() => conn.close());

const implicit = `_implicit_org_${org1}`;
// A collection of org1 alone (test/fixtures/conformance-cc/collections_config.json).
const org1Only = 'ImmigrationShortLived';
const retry = 'retry specifying trusted endorsing organizations to protect transient data';

/** The MSP ids of the endorsements the gateway collected into a prepared transaction. */
function endorsersOf(transaction: Transaction): string[] {
  const prepared = gateway.PreparedTransaction.deserializeBinary(transaction.getBytes());
  const payload = common.Payload.deserializeBinary(prepared.getEnvelope()!.getPayload_asU8());
  const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
  return peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8())
    .getAction()!
    .getEndorsementsList()
    .map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid())
    .sort();
}

/** Endorses, checks who endorsed, submits and waits for a VALID commit. */
async function endorseAndCommit(proposal: Proposal, endorsers: string[]): Promise<void> {
  const transaction = await proposal.endorse();
  expect(endorsersOf(transaction)).toEqual([...endorsers].sort());
  const status = await (await transaction.submit()).getStatus();
  expect(status.code).toBe(peer.TxValidationCode.VALID);
}

describe('transient data and the endorsement plan', () => {
  it("refuses to ask organisations outside the written collection's distribution policy", async () => {
    const key = uniqueKey('guard');
    const msg = await failureOf(
      cc.submit('PutPrivate', {
        arguments: [org1Only, key, ''],
        transientData: { [key]: Buffer.from('secret') },
      }),
    );
    expect(msg).toContain(
      `requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [${org1Only}]; ${retry}`,
    );
  });

  it("treats an implicit organisation collection alike: with public writes under the chaincode's policy, it refuses", async () => {
    const key = uniqueKey('guard-implicit-public');
    const msg = await failureOf(
      cc.submit('PutWithPrivate', {
        arguments: [implicit, key],
        transientData: { [key]: Buffer.from('secret') },
      }),
    );
    expect(msg).toContain(
      `9 FAILED_PRECONDITION: requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [${implicit}]; ${retry}`,
    );
  });

  it("endorses a write to the implicit collection alone on that organisation only (its collection's policy)", async () => {
    const key = uniqueKey('guard-implicit');
    await endorseAndCommit(
      cc.newProposal('PutPrivate', {
        arguments: [implicit, key, ''],
        transientData: { [key]: Buffer.from('secret') },
      }),
      [org1],
    );
    expect(text(await cc.evaluateTransaction('GetPrivate', implicit, key))).toBe('secret');
  });

  it('endorses on the organisations the client names, and the member reads the value back', async () => {
    const key = uniqueKey('guard-named');
    await endorseAndCommit(
      cc.newProposal('PutWithPrivate', {
        arguments: [implicit, key],
        transientData: { [key]: Buffer.from('secret') },
        endorsingOrganizations: [org1, org2],
      }),
      [org1, org2],
    );
    expect(text(await cc.evaluateTransaction('GetPrivate', implicit, key))).toBe('secret');
    expect(text(await cc.evaluateTransaction('Get', key))).toBe('public');
  });
});
