import { conformanceNetwork, type GatewayConnection } from './support';

// The environment a peer gives its chaincode: fabric-shim's stub.getMspID() reads CORE_PEER_LOCALMSPID,
// which Fabric's peer sets for the chaincode it launches (and a ccaas operator for its servers).
describe('chaincode environment', () => {
  const c = conformanceNetwork();
  const conns = new Map<string, GatewayConnection>();

  beforeAll(() => {
    for (const mspId of c.mspIds) conns.set(mspId, c.gateway(mspId));
  });
  afterAll(() => {
    for (const conn of conns.values()) conn.close();
  });

  it("gives each org's chaincode its peer's MSP id (stub.getMspID)", async () => {
    for (const mspId of c.mspIds) {
      const cc = c.contract(conns.get(mspId)!);
      // Evaluated on a peer of the org only, so the answer is that peer's chaincode server's.
      const answer = await cc.newProposal('MspID', { endorsingOrganizations: [mspId] }).evaluate();
      expect(Buffer.from(answer).toString('utf8')).toBe(mspId);
    }
  });
});
