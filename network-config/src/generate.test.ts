import { parse } from 'yaml';
import { createHash, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, msp, orderer, peer } from '@hyperledger/fabric-protos';
import { generateNetwork } from './generate';
import { defaultMinistriesFile } from './ministries/load';
import type { NetworkDescriptor, Profile } from './types';

// The legacy Node SDK's block parser: an independent decoder of the genesis block.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BlockDecoder } = require('fabric-common') as { BlockDecoder: { decode(bytes: Buffer): any } }; // eslint-disable-line @typescript-eslint/no-explicit-any

// Generating a network (keys, certificates, the genesis block) takes seconds on a loaded 2-core machine.
jest.setTimeout(60_000);

let tmp: string;
let home: string;
let network: NetworkDescriptor;
let block: common.Block;

/** The channel config inside the genesis block. */
function configOf(b: common.Block): common.Config {
  const envelope = common.Envelope.deserializeBinary(b.getData()!.getDataList_asU8()[0]);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  return common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig()!;
}

/** A config group by path, e.g. ['Application', 'HealthMSP']; fails the test if absent. */
function group(config: common.Config, ...names: string[]): common.ConfigGroup {
  let g = config.getChannelGroup()!;
  for (const name of names) {
    const next = g.getGroupsMap().get(name);
    if (!next)
      throw new Error(
        `no group ${name} under ${g
          .getGroupsMap()
          .getEntryList()
          .map((e) => e[0])}`,
      );
    g = next;
  }
  return g;
}

const keys = (m: { getEntryList(): [string, unknown][] }): string[] =>
  m
    .getEntryList()
    .map((e) => e[0])
    .sort();

/** Decodes a value of a group with the given message class. */
function value<T>(g: common.ConfigGroup, key: string, type: { deserializeBinary(b: Uint8Array): T }): T {
  const v = g.getValuesMap().get(key);
  if (!v) throw new Error(`no value ${key}`);
  expect(v.getModPolicy()).toBe(key === 'OrdererAddresses' ? '/Channel/Orderer/Admins' : 'Admins');
  return type.deserializeBinary(v.getValue_asU8());
}

/** A policy of a group, checking configtxgen's mod_policy. */
function policy(g: common.ConfigGroup, name: string): common.Policy {
  const p = g.getPoliciesMap().get(name);
  if (!p) throw new Error(`no policy ${name}`);
  expect(p.getModPolicy()).toBe('Admins');
  return p.getPolicy()!;
}

/** An ImplicitMeta policy as `RULE SubPolicy`. */
function implicitMeta(g: common.ConfigGroup, name: string): string {
  const p = policy(g, name);
  expect(p.getType()).toBe(common.Policy.PolicyType.IMPLICIT_META);
  const imp = common.ImplicitMetaPolicy.deserializeBinary(p.getValue_asU8());
  const rule = Object.entries(common.ImplicitMetaPolicy.Rule).find(([, v]) => v === imp.getRule())?.[0];
  return `${rule} ${imp.getSubPolicy()}`;
}

/** A signature policy as `n of [MSP.ROLE, ...]` (flat NOutOf over SignedBy i, as configtxgen writes OR(...)). */
function signaturePolicy(g: common.ConfigGroup, name: string): string {
  const p = policy(g, name);
  expect(p.getType()).toBe(common.Policy.PolicyType.SIGNATURE);
  const env = common.SignaturePolicyEnvelope.deserializeBinary(p.getValue_asU8());
  const gate = env.getRule()!.getNOutOf()!;
  expect(gate.getRulesList().map((r) => r.getSignedBy())).toEqual(env.getIdentitiesList().map((_, i) => i));
  const roles = env.getIdentitiesList().map((id) => {
    expect(id.getPrincipalClassification()).toBe(msp.MSPPrincipal.Classification.ROLE);
    const role = msp.MSPRole.deserializeBinary(id.getPrincipal_asU8());
    return `${role.getMspIdentifier()}.${Object.entries(msp.MSPRole.MSPRoleType).find(([, v]) => v === role.getRole())?.[0]}`;
  });
  return `${gate.getN()} of [${roles.join(', ')}]`;
}

const capabilitiesOf = (g: common.ConfigGroup): string[] =>
  keys(value(g, 'Capabilities', common.Capabilities).getCapabilitiesMap());

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'network-config-'));
  home = path.join(tmp, 'home');
  network = await generateNetwork({ home });
  block = common.Block.deserializeBinary(fs.readFileSync(network.genesisBlockPath));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('generateNetwork: files', () => {
  it('writes a core.yaml for the peer CLI pointing at an existing MSP and TLS CA', () => {
    const core = parse(fs.readFileSync(path.join(home, 'peercfg', 'core.yaml'), 'utf8'));
    expect(core.peer.localMspId).toBe('ImmigrationMSP');
    expect(core.peer.tls.enabled).toBe(true);
    expect(core.peer.BCCSP.Default).toBe('SW');
    expect(fs.existsSync(path.join(core.peer.mspConfigPath, 'signcerts'))).toBe(true);
    expect(fs.existsSync(core.peer.tls.rootcert.file)).toBe(true);
  });

  it('writes network.json with absolute paths that all exist', () => {
    const onDisk = JSON.parse(fs.readFileSync(path.join(home, 'network.json'), 'utf8')) as NetworkDescriptor;
    expect(onDisk).toEqual(network);
    expect(network.home).toBe(home);
    expect(network.genesisBlockPath).toBe(path.join(home, 'channel', 'egov.block'));
    expect(network.organizations.map((o) => [o.mspId, o.peers[0].name, o.peers[0].port])).toEqual([
      ['ImmigrationMSP', 'peer0.immigration.egov.local', 7051],
      ['EducationMSP', 'peer0.education.egov.local', 8051],
      ['HealthMSP', 'peer0.health.egov.local', 9051],
      ['CentralBankMSP', 'peer0.centralbank.egov.local', 10051],
    ]);
    expect(network.orderer).toMatchObject({
      mspId: 'OrdererMSP',
      name: 'orderer.egov.local',
      host: '127.0.0.1',
      port: 7050,
      operationsPort: 9443,
    });
    const paths: string[] = [];
    JSON.stringify(network, (k, v) =>
      typeof v === 'string' && /(Path|Dir)$/.test(k) ? (paths.push(v), v) : v,
    );
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((p) => !path.isAbsolute(p) || !fs.existsSync(p))).toEqual([]);
    expect(network.generatedFrom).toMatchObject({
      ministriesFile: defaultMinistriesFile(),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('writes User1 and Admin connection profiles per ministry', () => {
    const profile = JSON.parse(
      fs.readFileSync(path.join(home, 'profiles', 'ImmigrationMSP.json'), 'utf8'),
    ) as Profile;
    const imm = network.organizations[0];
    expect(profile).toEqual({
      mspId: 'ImmigrationMSP',
      channel: 'egov',
      chaincode: { name: 'egov', version: '0.1' },
      peerEndpoint: '127.0.0.1:7051',
      peerHostAlias: 'peer0.immigration.egov.local',
      tlsCaCertPath: imm.tlsCaCertPath,
      certPath: imm.user.certPath,
      keyPath: imm.user.keyPath,
    });
    const admin = JSON.parse(
      fs.readFileSync(path.join(home, 'profiles', 'HealthMSP-admin.json'), 'utf8'),
    ) as Profile;
    expect(admin.certPath).toBe(network.organizations[2].admin.certPath);
    expect(admin.peerEndpoint).toBe('127.0.0.1:9051');
    expect(new X509Certificate(fs.readFileSync(admin.certPath)).subject).toContain('OU=admin');
    // The profile's TLS CA verifies the peer's TLS certificate under the host alias.
    const server = new X509Certificate(fs.readFileSync(imm.peers[0].tls.certPath));
    expect(server.checkIssued(new X509Certificate(fs.readFileSync(profile.tlsCaCertPath)))).toBe(true);
    expect(server.checkHost(profile.peerHostAlias)).toBe(profile.peerHostAlias);
    // Eight gateway profiles, and a Fabric common connection profile per organization as JSON and YAML.
    const files = fs.readdirSync(path.join(home, 'profiles'));
    expect(files.filter((f) => !f.startsWith('connection-'))).toHaveLength(8);
    expect(files.filter((f) => f.startsWith('connection-'))).toHaveLength(8);
  });
});

describe('generateNetwork: genesis block', () => {
  it('has the header of block 0 with the data hash of its one envelope', () => {
    const header = block.getHeader()!;
    expect(header.getNumber()).toBe(0);
    expect(header.getPreviousHash_asU8()).toHaveLength(0);
    const data = block.getData()!.getDataList_asU8();
    expect(data).toHaveLength(1);
    expect(Buffer.from(header.getDataHash_asU8()).toString('hex')).toBe(
      createHash('sha256').update(data[0]).digest('hex'),
    );
  });

  it('carries an unsigned CONFIG envelope with the channel header configtxgen writes', () => {
    const envelope = common.Envelope.deserializeBinary(block.getData()!.getDataList_asU8()[0]);
    expect(envelope.getSignature_asU8()).toHaveLength(0);
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const ch = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
    expect(ch.getType()).toBe(common.HeaderType.CONFIG);
    expect(ch.getChannelId()).toBe('egov');
    expect(ch.getVersion()).toBe(1);
    expect(ch.getEpoch()).toBe(0);
    expect(Math.abs(ch.getTimestamp()!.getSeconds() * 1000 - Date.now())).toBeLessThan(60_000);
    expect(ch.getTimestamp()!.getNanos()).toBe(0);
    const sh = common.SignatureHeader.deserializeBinary(payload.getHeader()!.getSignatureHeader_asU8());
    expect(sh.getCreator_asU8()).toHaveLength(0);
    expect(sh.getNonce_asU8()).toHaveLength(24);
    expect(ch.getTxId()).toBe(createHash('sha256').update(sh.getNonce_asU8()).digest('hex'));
  });

  it('has the 5 metadata entries of a configtxgen genesis block', () => {
    const md = block.getMetadata()!.getMetadataList_asU8();
    expect(md).toHaveLength(5);
    const signatures = common.Metadata.deserializeBinary(md[common.BlockMetadataIndex.SIGNATURES]);
    expect(signatures.getSignaturesList()).toHaveLength(0);
    expect(
      common.OrdererBlockMetadata.deserializeBinary(signatures.getValue_asU8()).getLastConfig()?.getIndex(),
    ).toBe(0);
    const lastConfig = common.Metadata.deserializeBinary(md[common.BlockMetadataIndex.LAST_CONFIG]);
    expect(common.LastConfig.deserializeBinary(lastConfig.getValue_asU8()).getIndex()).toBe(0);
    expect([md[2], md[3], md[4]].map((m) => m.length)).toEqual([0, 0, 0]);
  });

  it('has the Channel group values and policies', () => {
    const config = configOf(block);
    const channel = group(config);
    expect(channel.getModPolicy()).toBe('Admins');
    expect(keys(channel.getGroupsMap())).toEqual(['Application', 'Orderer']);
    expect(value(channel, 'HashingAlgorithm', common.HashingAlgorithm).getName()).toBe('SHA256');
    expect(value(channel, 'BlockDataHashingStructure', common.BlockDataHashingStructure).getWidth()).toBe(
      4294967295,
    );
    expect(value(channel, 'OrdererAddresses', common.OrdererAddresses).getAddressesList()).toEqual([
      '127.0.0.1:7050',
    ]);
    expect(capabilitiesOf(channel)).toEqual(['V2_0']);
    expect(keys(channel.getPoliciesMap())).toEqual(['Admins', 'Readers', 'Writers']);
    expect(implicitMeta(channel, 'Readers')).toBe('ANY Readers');
    expect(implicitMeta(channel, 'Writers')).toBe('ANY Writers');
    expect(implicitMeta(channel, 'Admins')).toBe('MAJORITY Admins');
  });

  it('has the Orderer group: etcdraft with the one consenter, batch settings, policies, OrdererOrg', () => {
    const ord = group(configOf(block), 'Orderer');
    const consensus = value(ord, 'ConsensusType', orderer.ConsensusType);
    expect(consensus.getType()).toBe('etcdraft');
    expect(consensus.getState()).toBe(orderer.ConsensusType.State.STATE_NORMAL);
    const raft = orderer.etcdraft.ConfigMetadata.deserializeBinary(consensus.getMetadata_asU8());
    const tlsCert = fs.readFileSync(network.orderer.tls.certPath);
    expect(raft.getConsentersList().map((c) => [c.getHost(), c.getPort()])).toEqual([['127.0.0.1', 7050]]);
    expect(Buffer.from(raft.getConsentersList()[0].getServerTlsCert_asU8()).equals(tlsCert)).toBe(true);
    expect(Buffer.from(raft.getConsentersList()[0].getClientTlsCert_asU8()).equals(tlsCert)).toBe(true);
    expect(raft.getOptions()?.getTickInterval()).toBe('500ms');
    const batch = value(ord, 'BatchSize', orderer.BatchSize);
    expect([batch.getMaxMessageCount(), batch.getAbsoluteMaxBytes(), batch.getPreferredMaxBytes()]).toEqual([
      50, 10485760, 2097152,
    ]);
    expect(value(ord, 'BatchTimeout', orderer.BatchTimeout).getTimeout()).toBe('100ms');
    expect(value(ord, 'ChannelRestrictions', orderer.ChannelRestrictions).getMaxCount()).toBe(0);
    expect(capabilitiesOf(ord)).toEqual(['V2_0']);
    expect(keys(ord.getPoliciesMap())).toEqual(['Admins', 'BlockValidation', 'Readers', 'Writers']);
    expect(implicitMeta(ord, 'BlockValidation')).toBe('ANY Writers');
    expect(implicitMeta(ord, 'Admins')).toBe('MAJORITY Admins');

    const org = group(configOf(block), 'Orderer', 'OrdererOrg');
    expect(org.getModPolicy()).toBe('Admins');
    expect(signaturePolicy(org, 'Readers')).toBe('1 of [OrdererMSP.MEMBER]');
    expect(signaturePolicy(org, 'Writers')).toBe('1 of [OrdererMSP.MEMBER]');
    expect(signaturePolicy(org, 'Admins')).toBe('1 of [OrdererMSP.ADMIN]');
    expect(value(org, 'Endpoints', common.OrdererAddresses).getAddressesList()).toEqual(['127.0.0.1:7050']);
    const mspConf = msp.FabricMSPConfig.deserializeBinary(value(org, 'MSP', msp.MSPConfig).getConfig_asU8());
    expect(mspConf.getName()).toBe('OrdererMSP');
    expect(mspConf.getFabricNodeOus()?.getOrdererOuIdentifier()?.getOrganizationalUnitIdentifier()).toBe(
      'orderer',
    );
  });

  it('has the Application group policies, capabilities and ACLs', () => {
    const app = group(configOf(block), 'Application');
    expect(keys(app.getPoliciesMap())).toEqual([
      'Admins',
      'Endorsement',
      'LifecycleEndorsement',
      'Readers',
      'Writers',
    ]);
    expect(implicitMeta(app, 'Readers')).toBe('ANY Readers');
    expect(implicitMeta(app, 'Writers')).toBe('ANY Writers');
    expect(implicitMeta(app, 'Admins')).toBe('MAJORITY Admins');
    expect(implicitMeta(app, 'Endorsement')).toBe('MAJORITY Endorsement');
    expect(implicitMeta(app, 'LifecycleEndorsement')).toBe('MAJORITY Endorsement');
    expect(capabilitiesOf(app)).toEqual(['V2_5']);
    const acls = value(app, 'ACLs', peer.ACLs).getAclsMap();
    expect(acls.get('peer/Propose')?.getPolicyRef()).toBe('/Channel/Application/Writers');
    expect(acls.get('event/Block')?.getPolicyRef()).toBe('/Channel/Application/Readers');
    expect(keys(app.getGroupsMap())).toEqual([
      'CentralBankMSP',
      'EducationMSP',
      'HealthMSP',
      'ImmigrationMSP',
    ]);
  });

  it.each(['ImmigrationMSP', 'EducationMSP', 'HealthMSP', 'CentralBankMSP'])(
    'has the %s group: MSP, role policies, anchor peer',
    (mspId) => {
      const org = group(configOf(block), 'Application', mspId);
      const desc = network.organizations.find((o) => o.mspId === mspId)!;
      expect(org.getModPolicy()).toBe('Admins');
      expect(keys(org.getPoliciesMap())).toEqual(['Admins', 'Endorsement', 'Readers', 'Writers']);
      expect(signaturePolicy(org, 'Readers')).toBe(`1 of [${mspId}.ADMIN, ${mspId}.PEER, ${mspId}.CLIENT]`);
      expect(signaturePolicy(org, 'Writers')).toBe(`1 of [${mspId}.ADMIN, ${mspId}.CLIENT]`);
      expect(signaturePolicy(org, 'Admins')).toBe(`1 of [${mspId}.ADMIN]`);
      expect(signaturePolicy(org, 'Endorsement')).toBe(`1 of [${mspId}.PEER]`);
      const anchors = value(org, 'AnchorPeers', peer.AnchorPeers).getAnchorPeersList();
      expect(anchors.map((a) => [a.getHost(), a.getPort()])).toEqual([['127.0.0.1', desc.peers[0].port]]);

      const mspConfig = value(org, 'MSP', msp.MSPConfig);
      expect(mspConfig.getType()).toBe(0);
      const conf = msp.FabricMSPConfig.deserializeBinary(mspConfig.getConfig_asU8());
      expect(conf.getName()).toBe(mspId);
      const caPem = fs.readFileSync(desc.caCertPath);
      expect(conf.getRootCertsList_asU8().map((c) => Buffer.from(c).equals(caPem))).toEqual([true]);
      expect(
        conf
          .getTlsRootCertsList_asU8()
          .map((c) => Buffer.from(c).equals(fs.readFileSync(desc.tlsCaCertPath))),
      ).toEqual([true]);
      expect(conf.getAdminsList()).toHaveLength(0);
      expect(conf.getCryptoConfig()?.getSignatureHashFamily()).toBe('SHA2');
      expect(conf.getCryptoConfig()?.getIdentityIdentifierHashFunction()).toBe('SHA256');
      const ous = conf.getFabricNodeOus()!;
      expect(ous.getEnable()).toBe(true);
      const ids = [
        ous.getClientOuIdentifier(),
        ous.getPeerOuIdentifier(),
        ous.getAdminOuIdentifier(),
        ous.getOrdererOuIdentifier(),
      ];
      expect(ids.map((i) => i?.getOrganizationalUnitIdentifier())).toEqual([
        'client',
        'peer',
        'admin',
        'orderer',
      ]);
      expect(ids.every((i) => Buffer.from(i!.getCertificate_asU8()).equals(caPem))).toBe(true);
    },
  );

  it("decodes with the legacy Node SDK's BlockDecoder", () => {
    const decoded = BlockDecoder.decode(fs.readFileSync(network.genesisBlockPath));
    expect(decoded.header.number.toString()).toBe('0');
    const envelope = decoded.data.data[0];
    expect(envelope.payload.header.channel_header.typeString).toBe('CONFIG');
    expect(envelope.payload.header.channel_header.channel_id).toBe('egov');
    const cg = envelope.payload.data.config.channel_group;
    expect(Object.keys(cg.groups.Application.groups).sort()).toEqual([
      'CentralBankMSP',
      'EducationMSP',
      'HealthMSP',
      'ImmigrationMSP',
    ]);
    expect(cg.groups.Application.groups.HealthMSP.values.MSP.value.config.name).toBe('HealthMSP');
    expect(cg.groups.Orderer.values.BatchSize.value.max_message_count).toBe(50);
    expect(cg.values.HashingAlgorithm.value.name).toBe('SHA256');
  });
});

describe('generateNetwork: idempotence', () => {
  it('reuses everything when the list has not changed', async () => {
    const caBefore = fs.readFileSync(network.organizations[0].caCertPath, 'utf8');
    const again = await generateNetwork({ home });
    expect(again).toEqual(network);
    expect(fs.readFileSync(network.organizations[0].caCertPath, 'utf8')).toBe(caBefore);
  });

  it('regenerates when a file it names is missing, and when forced', async () => {
    fs.rmSync(network.genesisBlockPath);
    const repaired = await generateNetwork({ home });
    expect(fs.existsSync(network.genesisBlockPath)).toBe(true);
    expect(repaired.generatedFrom?.generatedAt).not.toBe(network.generatedFrom?.generatedAt);
    const caBefore = fs.readFileSync(network.organizations[0].caCertPath, 'utf8');
    await generateNetwork({ home, force: true });
    expect(fs.readFileSync(network.organizations[0].caCertPath, 'utf8')).not.toBe(caBefore);
  });

  it('regenerates with a fifth ministry when it is added to the list, removing stale node data', async () => {
    const file = path.join(tmp, 'ministries.yaml');
    const text = fs.readFileSync(defaultMinistriesFile(), 'utf8');
    fs.writeFileSync(file, text);
    await generateNetwork({ home, ministriesFile: file });
    fs.mkdirSync(path.join(home, 'nodes', 'peer0.immigration.egov.local'), { recursive: true });
    fs.writeFileSync(
      file,
      `${text}  - mspId: JusticeMSP\n    name: Justice\n    domain: justice.egov.local\n    users: 3\n`,
    );

    const five = await generateNetwork({ home, ministriesFile: file });
    expect(five.organizations[4].ca.port).toBe(11054);
    expect(five.organizations.map((o) => o.mspId)).toEqual([
      'ImmigrationMSP',
      'EducationMSP',
      'HealthMSP',
      'CentralBankMSP',
      'JusticeMSP',
    ]);
    expect(five.organizations[4].peers[0]).toMatchObject({
      name: 'peer0.justice.egov.local',
      port: 11051,
      operationsPort: 9448,
      chaincodePort: 11052,
    });
    const app = group(
      configOf(common.Block.deserializeBinary(fs.readFileSync(five.genesisBlockPath))),
      'Application',
    );
    expect(keys(app.getGroupsMap())).toEqual([
      'CentralBankMSP',
      'EducationMSP',
      'HealthMSP',
      'ImmigrationMSP',
      'JusticeMSP',
    ]);
    expect(fs.existsSync(path.join(home, 'profiles', 'JusticeMSP.json'))).toBe(true);
    // cryptogen's Users: Count 3: User1..User3, each a client of the ministry's CA.
    const justice = five.organizations[4];
    expect(justice.users.map((u) => u.name)).toEqual([
      'User1@justice.egov.local',
      'User2@justice.egov.local',
      'User3@justice.egov.local',
    ]);
    for (const u of justice.users) {
      const cert = new X509Certificate(fs.readFileSync(u.certPath));
      expect(cert.subject).toContain('OU=client');
      expect(cert.checkIssued(new X509Certificate(fs.readFileSync(justice.caCertPath)))).toBe(true);
    }
    // The ministry's CA home: HTTPS certificate from its TLS CA, a bootstrap secret only its owner reads.
    expect(justice.ca).toMatchObject({
      name: 'ca.justice.egov.local',
      caName: 'ca-justice',
      url: 'https://localhost:11054',
    });
    expect(fs.statSync(justice.ca.registrar.secretPath).mode & 0o077).toBe(0);
    expect(
      new X509Certificate(fs.readFileSync(justice.ca.tls.certPath)).checkIssued(
        new X509Certificate(fs.readFileSync(justice.tlsCaCertPath)),
      ),
    ).toBe(true);
    expect(fs.existsSync(path.join(home, 'nodes'))).toBe(false);
  });

  it('refuses to regenerate under a running node', async () => {
    const nodeDir = path.join(home, 'nodes', 'orderer.egov.local');
    fs.mkdirSync(nodeDir, { recursive: true });
    fs.writeFileSync(path.join(nodeDir, 'node.pid'), String(process.pid)); // this test process is alive
    await expect(generateNetwork({ home, force: true })).rejects.toThrow(
      /node orderer.egov.local \(pid \d+\) is running/,
    );
    expect(fs.existsSync(path.join(home, 'network.json'))).toBe(true);
  });

  it('reports an invalid list without touching the existing network', async () => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, 'ministries: []\n');
    await expect(generateNetwork({ home, ministriesFile: file })).rejects.toThrow(
      'at least one ministry is required',
    );
    expect(fs.existsSync(path.join(home, 'network.json'))).toBe(true);
  });
});
