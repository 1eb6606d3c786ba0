/**
 * Issue 19: Fabric's Discovery service (`discovery.Discovery/Discover`) on every peer. A
 * fabric-network 2.2 application with its default settings (discovery on) gets the network and
 * transacts, and raw requests pin what discovery answers: config, membership, endorsement layouts
 * computed from the chaincode's policy (OutOf, MAJORITY), narrowed by collections and by
 * chaincode-to-chaincode calls, and Fabric's refusals.
 */
import * as fs from 'node:fs';
import type { Contract, Gateway } from 'fabric-network';
import { discovery, gossip, msp } from '@hyperledger/fabric-protos';
import { orgOf } from '../support/gateway';
import { connectFabricNetwork } from '../support/fabricnetwork';
import { combinations, discover, interest, layoutsByOrg, queries } from '../support/discovery';
import { saltTransient } from '../support/records';
import { newSeededRecord } from '../support/seed';
import { conformanceNetwork, uniqueKey } from './support';

const c = conformanceNetwork();
const net = c.net;
const [IMM, EDU, HEALTH] = c.mspIds;
const EGOV = net.chaincode.name;
/**
 * fabric-network's defaults: discovery on. devnet's peers advertise `<peer name>:<port>` (as a
 * Docker test network's do), reached on localhost; native.sh's Fabric peers advertise their own
 * namespace's address, reached as it is.
 */
const DISCOVERY = { enabled: true, asLocalhost: c.kind === 'devnet' };

/** Sorted `ORG:count` strings of each layout, sorted: comparable whatever the group names. */
const normalized = (layouts: Record<string, number>[]): string[] =>
  layouts
    .map((l) =>
      Object.entries(l)
        .map(([org, n]) => `${org}:${n}`)
        .sort()
        .join(','),
    )
    .sort();

const combos = (orgs: string[], k: number): string[] =>
  normalized(combinations(orgs, k).map((set) => Object.fromEntries(set.map((o) => [o, 1]))));

function result(res: discovery.Response, i = 0): discovery.QueryResult {
  return res.getResultsList()[i];
}

async function descriptor(...calls: Parameters<typeof interest>): Promise<discovery.EndorsementDescriptor> {
  const res = await discover(net, IMM, orgOf(net, IMM).user, [
    queries.chaincodes(c.channel, interest(...calls)),
  ]);
  const r = result(res);
  if (r.hasError()) throw new Error(r.getError()!.getContent());
  return r.getCcQueryRes()!.getContentList()[0];
}

describe('Discovery with fabric-network 2.2 (discovery on)', () => {
  const org = orgOf(net, IMM);
  let gateway: Gateway;
  let contract: Contract;

  beforeAll(async () => {
    gateway = await connectFabricNetwork(net.home, org, DISCOVERY);
    contract = (await gateway.getNetwork(c.channel)).getContract(c.chaincode);
  });
  afterAll(() => gateway?.disconnect());

  it('gets the network, submits and evaluates on the conformance chaincode', async () => {
    const key = uniqueKey('disc');
    await contract.submitTransaction('Put', key, 'through discovery');
    expect((await contract.evaluateTransaction('Get', key)).toString()).toBe('through discovery');
  });

  it("writes to a collection, endorsed by the collection's members only", async () => {
    const key = uniqueKey('disc-pvt');
    const cc = (await gateway.getNetwork(c.channel)).getContract(c.chaincode);
    cc.addDiscoveryInterest({ name: c.chaincode, collectionNames: ['ImmigrationHealth'] });
    await cc
      .createTransaction('PutPrivate')
      .setTransient({ [key]: Buffer.from('secret') })
      .submit('ImmigrationHealth', key, '');
    expect((await contract.evaluateTransaction('GetPrivate', 'ImmigrationHealth', key)).toString()).toBe(
      'secret',
    );
  });

  it("registers an egov record (salt in the issuer's implicit collection) and reads it back", async () => {
    const eduGateway = await connectFabricNetwork(net.home, orgOf(net, EDU), DISCOVERY);
    try {
      const egov = (await eduGateway.getNetwork(c.channel)).getContract(EGOV);
      const record = newSeededRecord('education.credential');
      const majority = Math.floor(c.mspIds.length / 2) + 1;
      // The salt goes to the issuer's implicit collection: the issuer's peer endorses, with a majority.
      await egov
        .createTransaction('ledger:RegisterRecord')
        .setTransient(saltTransient(record.id))
        .setEndorsingOrganizations(...[EDU, ...c.mspIds.filter((m) => m !== EDU)].slice(0, majority))
        .submit(JSON.stringify(record));
      const stored = JSON.parse(
        (await egov.evaluateTransaction('ledger:GetRecord', record.id)).toString(),
      ) as {
        id: string;
        issuerMsp: string;
      };
      expect(stored).toMatchObject({ id: record.id, issuerMsp: EDU });
    } finally {
      eduGateway.disconnect();
    }
  });
});

describe('Discover, raw requests', () => {
  const user = orgOf(net, IMM).user;

  it('answers the config query with every MSP and the orderer endpoints', async () => {
    const config = result(await discover(net, IMM, user, [queries.config(c.channel)])).getConfigResult()!;
    for (const mspId of c.mspIds) {
      const conf = config.getMspsMap().get(mspId)!;
      expect(conf.getRootCertsList().length).toBeGreaterThan(0);
      expect(conf.getTlsRootCertsList().length).toBeGreaterThan(0);
    }
    const orderers = [...config.getOrderersMap().values()].flatMap((e) => e.getEndpointList());
    expect(orderers.length).toBeGreaterThan(0);
    expect(orderers.every((e) => e.getPort() > 0 && e.getHost() !== '')).toBe(true);
  });

  it("lists every org's peer with its height and installed chaincodes, in gossip envelopes", async () => {
    const members = result(await discover(net, IMM, user, [queries.peers(c.channel)])).getMembers()!;
    for (const mspId of c.mspIds) {
      const peers = members.getPeersByOrgMap().get(mspId)!.getPeersList();
      expect(peers.length).toBeGreaterThan(0);
      for (const p of peers) {
        expect(msp.SerializedIdentity.deserializeBinary(p.getIdentity_asU8()).getMspid()).toBe(mspId);
        const alive = gossip.GossipMessage.deserializeBinary(p.getMembershipInfo()!.getPayload_asU8());
        expect(alive.getAliveMsg()!.getMembership()!.getEndpoint()).toMatch(/:\d+$/);
        // Other peers' alive messages carry their signatures; the answering peer's own is unsigned
        // (gossip's Self() wraps it with NoopSign).
        const signature = p.getMembershipInfo()!.getSignature_asU8();
        if (mspId === IMM) expect(signature).toHaveLength(0);
        else expect(signature.length).toBeGreaterThan(0);
        expect(p.getStateInfo()!.getSignature_asU8().length).toBeGreaterThan(0);
        const state = gossip.GossipMessage.deserializeBinary(p.getStateInfo()!.getPayload_asU8());
        expect(state.getStateInfo()!.getProperties()!.getLedgerHeight()).toBeGreaterThan(1);
        const names = state
          .getStateInfo()!
          .getProperties()!
          .getChaincodesList()
          .map((cc) => cc.getName());
        expect(names).toEqual(expect.arrayContaining([c.chaincode, EGOV, '_lifecycle']));
      }
    }
  });

  it('gives the layouts of an OutOf(2, three peers) policy', async () => {
    const desc = await descriptor({ name: c.chaincode });
    expect(desc.getChaincode()).toBe(c.chaincode);
    expect(normalized(layoutsByOrg(desc))).toEqual(combos([IMM, EDU, HEALTH], 2));
  });

  it("gives the layouts of the channel's MAJORITY policy (egov)", async () => {
    const majority = Math.floor(c.mspIds.length / 2) + 1;
    expect(normalized(layoutsByOrg(await descriptor({ name: EGOV })))).toEqual(combos(c.mspIds, majority));
  });

  it("narrows the layouts to a collection's members, or to the collection's own endorsement policy", async () => {
    const members = await descriptor({ name: c.chaincode, collections: ['ImmigrationHealth'] });
    expect(normalized(layoutsByOrg(members))).toEqual([`${HEALTH}:1,${IMM}:1`].sort());
    const own = await descriptor({ name: c.chaincode, collections: ['EducationEndorses'] });
    expect(normalized(layoutsByOrg(own))).toEqual([`${EDU}:1`]);
  });

  it('merges the policies of a chaincode-to-chaincode call', async () => {
    const desc = await descriptor({ name: c.chaincode }, { name: EGOV });
    const majority = Math.floor(c.mspIds.length / 2) + 1;
    const layouts = layoutsByOrg(desc);
    expect(layouts.length).toBeGreaterThan(0);
    for (const layout of layouts) {
      const orgs = Object.keys(layout);
      expect(orgs.length).toBeGreaterThanOrEqual(majority);
      expect(orgs.filter((o) => [IMM, EDU, HEALTH].includes(o)).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('refuses, as Fabric does, identities that may not ask and malformed queries', async () => {
    const denied = (res: discovery.Response): string => result(res).getError()?.getContent() ?? 'answered';
    const imm = orgOf(net, IMM);
    const forged = {
      mspId: EDU,
      certificate: fs.readFileSync(imm.user.certPath, 'utf8'),
      privateKeyPem: fs.readFileSync(imm.user.keyPath, 'utf8'),
    };
    expect(denied(await discover(net, IMM, forged, [queries.config(c.channel)]))).toBe('access denied');
    const wrongKey = {
      ...forged,
      mspId: IMM,
      privateKeyPem: fs.readFileSync(orgOf(net, EDU).user.keyPath, 'utf8'),
    };
    expect(denied(await discover(net, IMM, wrongKey, [queries.config(c.channel)]))).toBe('access denied');
    expect(denied(await discover(net, IMM, user, [queries.config('no-such-channel')]))).toBe('access denied');
    // Local peer queries need an admin of the peer's own organization.
    expect(denied(await discover(net, IMM, user, [queries.local()]))).toBe('access denied');
    const local = result(await discover(net, IMM, imm.admin, [queries.local()])).getMembers()!;
    expect(local.getPeersByOrgMap().get(IMM)!.getPeersList().length).toBeGreaterThan(0);
    expect(
      denied(
        await discover(net, IMM, user, [queries.chaincodes(c.channel, interest({ name: 'no-such-cc' }))]),
      ),
    ).toMatch(/^failed constructing descriptor for chaincodes:/);
    expect(denied(await discover(net, IMM, user, [queries.chaincodes(c.channel)]))).toBe(
      'chaincode query must have at least one chaincode interest',
    );
    await expect(
      discover(net, IMM, user, [queries.config(c.channel)], (req) =>
        req.getAuthentication()!.setClientIdentity(''),
      ),
    ).rejects.toThrow(/access denied, client identity wasn't supplied/);
  });

  it('does not bind the request to the TLS certificate (Fabric 2.5 never checks client_tls_cert_hash)', async () => {
    const res = await discover(net, IMM, user, [queries.config(c.channel)], (req) =>
      req.getAuthentication()!.setClientTlsCertHash(Buffer.alloc(32, 7)),
    );
    expect(result(res).hasConfigResult()).toBe(true);
  });
});
