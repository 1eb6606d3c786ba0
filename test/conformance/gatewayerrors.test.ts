import * as crypto from 'node:crypto';
import { GatewayError, signers } from '@hyperledger/fabric-gateway';
import { externalEndpointOf } from '@govfabric/network-config';
import { conformanceNetwork, uniqueKey, type GatewayConnection } from './support';

// The Gateway's errors as Fabric's gateway (internal/pkg/gateway) gives them: status code, text, and
// endorsers named by their advertised endpoint in the details.
describe('gateway errors', () => {
  const c = conformanceNetwork();
  const [A, B] = c.mspIds;
  let gw: GatewayConnection;

  beforeAll(() => {
    gw = c.gateway(A);
  });
  afterAll(() => gw.close());

  async function gatewayError(p: Promise<unknown>): Promise<GatewayError> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }

  it('answers an unknown chaincode with 9 FAILED_PRECONDITION, naming it and the channel', async () => {
    const name = uniqueKey('nocc').replace(/[^A-Za-z0-9]/g, '');
    const cc = gw.gateway.getNetwork(c.channel).getContract(name);
    const evaluated = await gatewayError(cc.evaluateTransaction('Get', 'k'));
    expect([evaluated.code, evaluated.message]).toEqual([
      9,
      `9 FAILED_PRECONDITION: no peers available to evaluate chaincode ${name} in channel ${c.channel}`,
    ]);
    const endorsed = await gatewayError(cc.submitTransaction('Put', 'k', 'v'));
    expect([endorsed.code, endorsed.message]).toEqual([
      9,
      `9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode ${name} in channel ${c.channel}`,
    ]);
  });

  it('answers an unknown channel with 14 UNAVAILABLE and Fabric’s text', async () => {
    const cc = gw.gateway.getNetwork('nosuchchannel').getContract(c.chaincode);
    const evaluated = await gatewayError(cc.evaluateTransaction('Get', 'k'));
    expect([evaluated.code, evaluated.message]).toEqual([
      14,
      '14 UNAVAILABLE: failed to get config for channel [nosuchchannel]: could not get last config for channel nosuchchannel',
    ]);
  });

  it('names a failing endorser of another org by its advertised endpoint in the details', async () => {
    const peerB = c.net.organizations.find((o) => o.mspId === B)!.peers[0];
    const cc = c.contract(gw);
    const err = await gatewayError(
      cc.submit('Fail', { arguments: ['refused'], endorsingOrganizations: [B] }),
    );
    expect(err.code).toBe(10);
    // Named by the endpoint the peer advertises (Fabric's peer.gossip.externalEndpoint), as
    // discovery hands it to the gateway (internal/pkg/gateway/registry.go, PreferredEndpoint):
    // devnet's peers advertise their names; the native Fabric network's, their addresses.
    expect(err.details.map((d) => [d.mspId, d.address])).toEqual([[B, externalEndpointOf(peerB)]]);
    expect(err.details[0].message).toContain('refused');
  });

  it("words a refusal by the gateway's first endorser apart from refusals after it succeeded", async () => {
    const cc = c.contract(gw);
    // The gateway asks a peer of its own organization first; its refusal ends the call.
    const first = await gatewayError(cc.submit('Fail', { arguments: ['refused here'] }));
    expect([first.code, first.message]).toEqual([
      10,
      '10 ABORTED: failed to endorse transaction, see attached details for more info',
    ]);
    expect(first.details.map((d) => d.mspId)).toEqual([A]);
    // A's peer succeeds, every other organization's refuses: the policy (two of three) is not met.
    const later = await gatewayError(cc.submit('FailUnlessMsp', { arguments: [A, 'refused elsewhere'] }));
    expect([later.code, later.message]).toEqual([
      10,
      '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
    ]);
    expect(later.details.length).toBeGreaterThan(0);
    for (const detail of later.details) {
      expect(detail.mspId).not.toBe(A);
      expect(detail.message).toContain('refused elsewhere');
    }
  });

  it('refuses endorsements whose results differ: ProposalResponsePayloads do not match', async () => {
    // MspID answers the peer's own MSP ID, so two organizations' peers return different payloads.
    const err = await gatewayError(c.contract(gw).submit('MspID', { endorsingOrganizations: [A, B] }));
    expect([err.code, err.message]).toEqual([
      10,
      '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
    ]);
    expect(err.details).toHaveLength(1);
    expect(err.details[0].message).toBe('ProposalResponsePayloads do not match');
    expect([A, B]).toContain(err.details[0].mspId);
  });

  it('leaves a prepared transaction signed by another key to the orderer: 10 ABORTED, status=FORBIDDEN', async () => {
    const endorsed = await c
      .contract(gw)
      .newProposal('Put', { arguments: [uniqueKey('forged'), 'v'] })
      .endorse();
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = await signers.newPrivateKeySigner(privateKey)(endorsed.getDigest());
    const err = await gatewayError(gw.gateway.newSignedTransaction(endorsed.getBytes(), forged).submit());
    expect(err.code).toBe(10);
    expect(err.message).toMatch(
      /^10 ABORTED: received unsuccessful response from orderer: status=FORBIDDEN, info=/,
    );
  });
});
