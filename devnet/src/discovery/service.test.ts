import { createHash } from 'node:crypto';
import { discovery, peer } from '@hyperledger/fabric-protos';
import type { SigningIdentity } from '../msp/signingidentity';
import { DiscoveryService, validateStructure } from './service';
import { testChannel, testMember, testMetadata, type TestChannel } from './testkit';

let ch: TestChannel;
let service: DiscoveryService;
beforeAll(async () => {
  ch = await testChannel(3);
  service = new DiscoveryService({
    localMspId: 'AMSP',
    bundle: (id) => (id === 'ch' ? ch.bundle : undefined),
    localBundle: () => ch.bundle,
    peersOfChannel: async () => ch.orgs.map((o) => testMember(o, [{ name: 'cc', version: '1' }])),
    metadata: (_id, cc) =>
      cc === 'cc' ? testMetadata("OutOf(2, 'AMSP.peer', 'BMSP.peer', 'CMSP.peer')") : undefined,
  });
}, 60_000);

const configQuery = (channel = 'ch'): discovery.Query => {
  const q = new discovery.Query();
  q.setChannel(channel);
  q.setConfigQuery(new discovery.ConfigQuery());
  return q;
};

function request(
  who: SigningIdentity,
  queries: discovery.Query[],
  o: { identity?: Uint8Array; signer?: SigningIdentity; noAuth?: boolean } = {},
): discovery.SignedRequest {
  const req = new discovery.Request();
  if (!o.noAuth) {
    const auth = new discovery.AuthInfo();
    auth.setClientIdentity(o.identity ?? who.serialize());
    req.setAuthentication(auth);
  }
  req.setQueriesList(queries);
  const signed = new discovery.SignedRequest();
  signed.setPayload(req.serializeBinary());
  signed.setSignature((o.signer ?? who).sign(req.serializeBinary()));
  return signed;
}

const first = async (r: discovery.SignedRequest) => (await service.discover(r)).getResultsList()[0];
const errorOf = async (r: discovery.SignedRequest) => (await first(r)).getError()?.getContent();

describe('discovery service: who may ask', () => {
  it("answers a channel query of the channel's Writers (a client): MSPs and orderer endpoints", async () => {
    const res = (await first(request(ch.orgs[1].client, [configQuery()]))).getConfigResult()!;
    expect([...res.getMspsMap().keys()].sort()).toEqual(['AMSP', 'BMSP', 'CMSP', 'OrdererMSP']);
    const orderers = res.getOrderersMap().get('OrdererMSP')!.getEndpointList();
    expect(orderers.map((e) => `${e.getHost()}:${e.getPort()}`)).toEqual(['orderer.test:7050']);
  });

  it('says "access denied" to a non-Writer, a bad signature, an unknown channel', async () => {
    // configtxgen's org Writers are admins and clients: a peer identity is not one.
    expect(await errorOf(request(ch.orgs[0].peer, [configQuery()]))).toBe('access denied');
    expect(await errorOf(request(ch.orgs[0].client, [configQuery()], { signer: ch.orgs[1].client }))).toBe(
      'access denied',
    );
    expect(await errorOf(request(ch.orgs[0].client, [configQuery('other')]))).toBe('access denied');
  });

  it("answers local peer queries only for an admin of the peer's own org", async () => {
    const local = new discovery.Query();
    local.setLocalPeers(new discovery.LocalPeerQuery());
    expect(await errorOf(request(ch.orgs[0].client, [local]))).toBe('access denied');
    expect(await errorOf(request(ch.orgs[1].admin, [local]))).toBe('access denied');
    const members = (await first(request(ch.orgs[0].admin, [local]))).getMembers()!;
    const peers = [...members.getPeersByOrgMap().entries()].map(
      ([org, p]) => `${org}:${p.getPeersList().length}`,
    );
    expect(peers.sort()).toEqual(['AMSP:1', 'BMSP:1', 'CMSP:1']);
    expect(members.getPeersByOrgMap().get('AMSP')!.getPeersList()[0].hasStateInfo()).toBe(false);
  });

  it("refuses a request without authentication or identity as a call error, with Fabric's text", async () => {
    await expect(
      service.discover(request(ch.orgs[0].client, [configQuery()], { noAuth: true })),
    ).rejects.toThrow(/^access denied, no authentication info in request$/);
    await expect(
      service.discover(request(ch.orgs[0].client, [configQuery()], { identity: new Uint8Array() })),
    ).rejects.toThrow(/^access denied, client identity wasn't supplied$/);
  });

  it('binds the request to the TLS certificate only when asked (Fabric 2.5 never asks)', () => {
    const cert = Buffer.from('client tls cert');
    const hash = createHash('sha256').update(cert).digest();
    const signed = request(ch.orgs[0].client, [configQuery()]);
    expect(() => validateStructure(signed)).not.toThrow();
    expect(() => validateStructure(signed, { enabled: true })).toThrow(
      /^client didn't send a TLS certificate$/,
    );
    expect(() => validateStructure(signed, { enabled: true, clientCertHash: hash })).toThrow(
      /^client claimed TLS hash doesn't match computed TLS hash from gRPC stream$/,
    );
  });
});

describe('discovery service: queries', () => {
  it("answers malformed chaincode queries and unknown query types with Fabric's errors", async () => {
    const empty = new discovery.Query();
    empty.setChannel('ch');
    empty.setCcQuery(new discovery.ChaincodeQuery());
    expect(await errorOf(request(ch.orgs[0].client, [empty]))).toBe(
      'chaincode query must have at least one chaincode interest',
    );
    const none = new discovery.Query();
    none.setChannel('ch');
    expect(await errorOf(request(ch.orgs[0].client, [none]))).toBe('unknown or missing request type');
    const unknown = new discovery.Query();
    unknown.setChannel('ch');
    const cq = new discovery.ChaincodeQuery();
    const i = new peer.ChaincodeInterest();
    const call = new peer.ChaincodeCall();
    call.setName('nope');
    i.addChaincodes(call);
    cq.addInterests(i);
    unknown.setCcQuery(cq);
    expect(await errorOf(request(ch.orgs[0].client, [unknown]))).toBe(
      'failed constructing descriptor for chaincodes:{name:"nope"}',
    );
  });

  it('answers each query of a request on its own, in order', async () => {
    const members = new discovery.Query();
    members.setChannel('ch');
    members.setPeerQuery(new discovery.PeerMembershipQuery());
    const res = await service.discover(request(ch.orgs[2].client, [configQuery('other'), members]));
    expect(res.getResultsList()[0].getError()!.getContent()).toBe('access denied');
    const byOrg = res.getResultsList()[1].getMembers()!.getPeersByOrgMap();
    expect(byOrg.get('CMSP')!.getPeersList()[0].hasStateInfo()).toBe(true);
  });
});
