import * as fs from 'node:fs';
import * as path from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { caClient, enroll, enrollRegistrar, uniqueId, type Enrolled } from '../support/ca';
import { CONFORMANCE_CHAINCODE, devnetCli, realFabricNetworkFile, testNetwork } from '../support/devnet';
import { connectGateway } from '../support/gateway';
import { connectLegacy } from '../support/legacy';
import { sccQuery } from './lifecyclesupport';

// fabric-common's block decoder: an independent reading of the config block devnet's orderer made.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BlockDecoder } = require('fabric-common') as { BlockDecoder: { decode(bytes: Buffer): any } }; // eslint-disable-line @typescript-eslint/no-explicit-any

const EDUCATION = 'EducationMSP';
const describeDevnet = realFabricNetworkFile() === undefined ? describe : describe.skip;

/** A query of the conformance chaincode on one ministry's peer through fabric-common (no gateway). */
async function legacyGet(
  net: NetworkDescriptor,
  who: Enrolled,
  peerMspId: string,
): Promise<{ status: number; message: string }> {
  const legacy = await connectLegacy(net, who.mspId, who);
  try {
    const query = legacy.channel.newQuery(CONFORMANCE_CHAINCODE);
    query.build(legacy.idx, { fcn: 'Get', args: ['revocation-probe'] });
    query.sign(legacy.idx);
    const results = await query.send({ targets: [legacy.endorsers.get(peerMspId)!], requestTimeout: 30_000 });
    // fabric-common reports a refused proposal (status >= 400) as an error carrying the peer's message.
    if (results.errors.length > 0) {
      const e = results.errors[0] as Error & { status?: number };
      return { status: e.status ?? -1, message: e.message };
    }
    return { status: results.responses[0].response.status, message: results.responses[0].response.message };
  } finally {
    legacy.close();
  }
}

/** An evaluate through fabric-gateway on the officer's own ministry's peer (its Gateway service). */
async function gatewayEvaluate(net: NetworkDescriptor, who: Enrolled): Promise<string> {
  const conn = connectGateway(net, who.mspId, who);
  try {
    const contract = conn.gateway.getNetwork(net.channel).getContract(CONFORMANCE_CHAINCODE);
    return Buffer.from(await contract.evaluateTransaction('Get', 'revocation-probe')).toString('utf8');
  } finally {
    conn.close();
  }
}

// Revocation as on Fabric: the CA revokes and generates a CRL; a channel config update signed by a
// majority of the ministries' admins puts it in the ministry's MSP; every peer applies the config block
// and refuses the revoked officer, while the ministry's other officers keep transacting.
describeDevnet('revocation through the channel config (CRL in the MSP)', () => {
  let net: NetworkDescriptor;
  let revoked: Enrolled;
  let colleague: Enrolled;
  let crlFile: string;

  beforeAll(async () => {
    net = testNetwork();
    const registrar = await enrollRegistrar(net, EDUCATION);
    const register = async (id: string): Promise<Enrolled> => {
      const secret = await caClient(net, EDUCATION).register(
        { enrollmentID: id, affiliation: 'education.officers', role: 'client', maxEnrollments: -1 },
        registrar.user,
      );
      return enroll(net, EDUCATION, id, secret);
    };
    revoked = await register(uniqueId('revoked-officer'));
    colleague = await register(uniqueId('colleague'));
    // Before revocation the officer is accepted everywhere.
    for (const m of net.organizations.map((o) => o.mspId))
      expect((await legacyGet(net, revoked, m)).status).toBe(200);
    // fabric-ca-client sends gencrl (its typings omit it).
    const request = { enrollmentID: revoked.id, reason: 'privilegewithdrawn', gencrl: true };
    const result = await caClient(net, EDUCATION).revoke(request as { enrollmentID: string }, registrar.user);
    expect(result.result.RevokedCerts).toHaveLength(1);
    crlFile = path.join(net.home, `crl-${revoked.id}.pem`);
    fs.writeFileSync(crlFile, Buffer.from(result.result.CRL, 'base64'));
    expect(devnetCli(net.home, `crl ${EDUCATION} ${crlFile}`)).toMatch(
      /revocation list is in the channel config/,
    );
  });

  it("refuses the revoked officer's proposals on every peer, through fabric-common and fabric-gateway", async () => {
    for (const m of net.organizations.map((o) => o.mspId)) {
      const r = await legacyGet(net, revoked, m);
      expect(r.status).not.toBe(200);
      expect(r.message).toMatch(/access denied: channel \[egov\] creator org unknown, creator is malformed/);
    }
    await expect(gatewayEvaluate(net, revoked)).rejects.toThrow(/access denied|creator/);
  });

  it('keeps accepting the ministry’s other officers', async () => {
    for (const m of net.organizations.map((o) => o.mspId))
      expect((await legacyGet(net, colleague, m)).status).toBe(200);
  });

  it('the config block decodes with fabric-common and carries the CRL in the ministry’s MSP', async () => {
    const admin = await connectLegacy(net, EDUCATION, 'admin');
    try {
      const r = await sccQuery(admin, '', EDUCATION, 'cscc', ['GetConfigBlock', net.channel]);
      expect(r.status).toBe(200);
      const block = BlockDecoder.decode(r.payload);
      const envelope = block.data.data[0];
      expect(envelope.payload.header.channel_header.type).toBe(common.HeaderType.CONFIG);
      const config = envelope.payload.data.config;
      expect(Number(config.sequence)).toBeGreaterThan(0);
      const mspValue = config.channel_group.groups.Application.groups[EDUCATION].values.MSP;
      expect(mspValue.version).toBeGreaterThan(0);
      const crls: Buffer[] = mspValue.value.config.revocation_list;
      expect(crls.map((c) => Buffer.from(c).toString('utf8'))).toEqual([fs.readFileSync(crlFile, 'utf8')]);
      expect(envelope.payload.data.last_update.payload.header.channel_header.type).toBe(
        common.HeaderType.CONFIG_UPDATE,
      );
    } finally {
      admin.close();
    }
  });
});
