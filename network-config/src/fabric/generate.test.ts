import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ministryPolicies, ordererOrgPolicies } from '../configtx/profile';
import type { Profile } from '../types';
import { parseFabricArgs } from './cli';
import { generateFabricNetwork, writeFabricConnectionProfiles, type FabricGenerated } from './generate';
import { generateOrdererOrg, generatePeerOrg } from '../cryptogen/orgs';
import { cryptoDir } from '../output/descriptor';
import { ccaasPeerName } from './nodeenv';
import { checkSubnet, planNetwork } from './plan';
import { loadMinistries } from '../ministries/load';

/** configtx.yaml's policy map for a PolicySpec map. */
const yamlPolicies = (p: Record<string, { type: string; rule: string }>) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { Type: v.type, Rule: v.rule }]));

/** An env file as a map. */
function readEnv(file: string): Record<string, string> {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  return Object.fromEntries(
    lines
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('Fabric network files from ministries.yaml', () => {
  let out: string;
  let native: FabricGenerated;
  let configtx: any; // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-fabric-'));
    native = generateFabricNetwork({
      out,
      addressing: { kind: 'native', subnet: '10.117.0' },
      nodeFiles: { ccaasBuilderDir: '/opt/fabric/builders/ccaas' },
    });
    configtx = parse(fs.readFileSync(native.configtx, 'utf8'));
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('configtx.yaml has the ministries as application organizations with devnet policies and anchor peers', () => {
    const app = configtx.Profiles.ChannelUsingRaft.Application;
    expect(app.Organizations.map((o: { ID: string }) => o.ID)).toEqual([
      'ImmigrationMSP',
      'EducationMSP',
      'HealthMSP',
      'CentralBankMSP',
    ]);
    for (const [i, org] of app.Organizations.entries()) {
      expect(org.Policies).toEqual(yamlPolicies(ministryPolicies(org.ID)));
      expect(org.AnchorPeers).toEqual([{ Host: `10.117.0.${21 + i}`, Port: 7051 }]);
      expect(path.resolve(out, org.MSPDir)).toBe(
        path.join(out, 'crypto', 'peerOrganizations', native.network.organizations[i].domain, 'msp'),
      );
    }
    expect(app.Policies.Endorsement).toEqual({ Type: 'ImplicitMeta', Rule: 'MAJORITY Endorsement' });
    expect(app.Policies.LifecycleEndorsement).toEqual({ Type: 'ImplicitMeta', Rule: 'MAJORITY Endorsement' });
    expect(app.Capabilities).toEqual({ V2_5: true });
    expect(app.ACLs['_lifecycle/CommitChaincodeDefinition']).toBe('/Channel/Application/Writers');
  });

  it('configtx.yaml has an etcdraft orderer with 3 consenters, their TLS certificates and capabilities V2_0', () => {
    const profile = configtx.Profiles.ChannelUsingRaft;
    expect(profile.Capabilities).toEqual({ V2_0: true });
    expect(profile.Orderer.OrdererType).toBe('etcdraft');
    expect(profile.Orderer.Capabilities).toEqual({ V2_0: true });
    const consenters = profile.Orderer.EtcdRaft.Consenters;
    expect(consenters.map((c: { Host: string; Port: number }) => `${c.Host}:${c.Port}`)).toEqual([
      '10.117.0.11:7050',
      '10.117.0.12:7050',
      '10.117.0.13:7050',
    ]);
    const names = ['orderer.egov.local', 'orderer2.egov.local', 'orderer3.egov.local'];
    consenters.forEach((c: { ClientTLSCert: string; ServerTLSCert: string }, i: number) => {
      const cert = path.join(
        out,
        'crypto/ordererOrganizations/egov.local/orderers',
        names[i],
        'tls/server.crt',
      );
      expect(path.resolve(out, c.ClientTLSCert)).toBe(cert);
      expect(path.resolve(out, c.ServerTLSCert)).toBe(cert);
    });
    const [ordererOrg] = profile.Orderer.Organizations;
    expect(ordererOrg.Policies).toEqual(yamlPolicies(ordererOrgPolicies('OrdererMSP')));
    expect(ordererOrg.OrdererEndpoints).toHaveLength(3);
    expect(profile.Orderer.BatchSize).toEqual({
      MaxMessageCount: 50,
      AbsoluteMaxBytes: '10 MB',
      PreferredMaxBytes: '2 MB',
    });
    expect(profile.Orderer.BatchTimeout).toBe('100ms');
  });

  it('crypto-config.yaml names every node with its address as a SAN, NodeOUs on, one user', () => {
    const cc = parse(fs.readFileSync(native.cryptoConfig, 'utf8'));
    expect(cc.OrdererOrgs[0].Specs.map((s: { Hostname: string }) => s.Hostname)).toEqual([
      'orderer',
      'orderer2',
      'orderer3',
    ]);
    expect(cc.OrdererOrgs[0].Specs[1].SANS).toContain('10.117.0.12');
    expect(cc.PeerOrgs.map((o: { Domain: string }) => o.Domain)).toEqual([
      'immigration.egov.local',
      'education.egov.local',
      'health.egov.local',
      'centralbank.egov.local',
    ]);
    for (const org of cc.PeerOrgs) {
      expect(org.EnableNodeOUs).toBe(true);
      expect(org.Users).toEqual({ Count: 1 });
    }
    expect(cc.PeerOrgs[2].Specs[0]).toEqual({
      Hostname: 'peer0',
      SANS: ['10.117.0.23', 'localhost', '127.0.0.1'],
    });
  });

  it('orderer env files: channel participation without a system channel, admin API with mutual TLS, own ledger', () => {
    const env = readEnv(path.join(out, 'env', 'orderer2.egov.local.env'));
    expect(env.ORDERER_GENERAL_BOOTSTRAPMETHOD).toBe('none');
    expect(env.ORDERER_CHANNELPARTICIPATION_ENABLED).toBe('true');
    expect(env.ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED).toBe('true');
    expect(env.ORDERER_ADMIN_LISTENADDRESS).toBe('0.0.0.0:7053');
    expect(env.ORDERER_GENERAL_LOCALMSPDIR).toBe(
      path.join(out, 'crypto/ordererOrganizations/egov.local/orderers/orderer2.egov.local/msp'),
    );
    expect(env.ORDERER_FILELEDGER_LOCATION).toBe(path.join(out, 'data/orderer2.egov.local/ledger'));
  });

  it('peer env files: addresses of the plan and the ccaas external builder as core.yaml would list it', () => {
    const env = readEnv(path.join(out, 'env', 'peer0.education.egov.local.env'));
    expect(env.CORE_PEER_ADDRESS).toBe('10.117.0.22:7051');
    expect(env.CORE_PEER_GOSSIP_EXTERNALENDPOINT).toBe('10.117.0.22:7051');
    expect(env.CORE_PEER_LOCALMSPID).toBe('EducationMSP');
    expect(parse(env.CORE_CHAINCODE_EXTERNALBUILDERS)).toEqual([
      {
        name: 'ccaas_builder',
        path: '/opt/fabric/builders/ccaas',
        propagateEnvironment: ['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG'],
      },
    ]);
    expect(JSON.parse(env.CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG)).toEqual({ peername: 'peer0education' });
  });

  it('network.json is the test descriptor: first orderer, peers at their addresses, every orderer listed', () => {
    const n = JSON.parse(fs.readFileSync(native.descriptor, 'utf8'));
    expect(n.orderer).toMatchObject({
      name: 'orderer.egov.local',
      host: '10.117.0.11',
      port: 7050,
      operationsPort: 9443,
    });
    expect(n.organizations[1].peers[0]).toMatchObject({
      name: 'peer0.education.egov.local',
      host: '10.117.0.22',
      port: 7051,
      operationsPort: 9444,
      // what its env file sets as CORE_PEER_GOSSIP_EXTERNALENDPOINT (a gateway names it so)
      externalEndpoint: '10.117.0.22:7051',
    });
    expect(n.organizations[0].admin.certPath).toBe(
      path.join(
        out,
        'crypto/peerOrganizations/immigration.egov.local/users/Admin@immigration.egov.local/msp/signcerts/Admin@immigration.egov.local-cert.pem',
      ),
    );
    // The chaincode's collections config for `peer lifecycle chaincode approveformyorg/commit`.
    expect(n.collectionsConfigPath).toBe(path.join(out, 'collections', 'egov.json'));
    const collections = JSON.parse(fs.readFileSync(n.collectionsConfigPath, 'utf8'));
    expect(collections.map((c: { name: string }) => c.name)).toEqual([
      'accountsImmigrationMSP',
      'accountsEducationMSP',
      'accountsHealthMSP',
    ]);
    // cryptogen makes the crypto material; no Fabric CA runs on the real network, so none is described.
    expect([n.orderer.ca, ...n.organizations.map((o: { ca?: unknown }) => o.ca)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(n.fabric.orderers.map((o: { adminEndpoint: string }) => o.adminEndpoint)).toEqual([
      '10.117.0.11:7053',
      '10.117.0.12:7053',
      '10.117.0.13:7053',
    ]);
  });

  it("writes the gateway's connection profiles for the network", () => {
    const p = JSON.parse(fs.readFileSync(path.join(out, 'profiles', 'HealthMSP.json'), 'utf8')) as Profile;
    expect(p).toMatchObject({ mspId: 'HealthMSP', channel: 'egov', peerEndpoint: '10.117.0.23:7051' });
    expect(p.peerHostAlias).toBe('peer0.health.egov.local');
    expect(native.profiles).toHaveLength(8);
  });

  it('writes the common connection profiles once the crypto material exists (they inline TLS CA certificates)', async () => {
    expect(() => writeFabricConnectionProfiles(path.join(out, 'none'))).toThrow(
      `${path.join(out, 'none', 'network.json')} does not exist: generate the network files first`,
    );
    const cfg = loadMinistries();
    await Promise.all([
      generateOrdererOrg(cryptoDir(out), cfg.orderer),
      ...cfg.ministries.map((m) => generatePeerOrg(cryptoDir(out), m)),
    ]);
    const written = writeFabricConnectionProfiles(out);
    expect(written.map((f) => path.relative(out, f))).toContain(
      path.join('profiles', 'connection-education.yaml'),
    );
    const profile = JSON.parse(
      fs.readFileSync(path.join(out, 'profiles', 'connection-education.json'), 'utf8'),
    );
    const peer = native.network.organizations.find((o) => o.mspId === 'EducationMSP')!.peers[0];
    expect(profile.peers[peer.name]).toMatchObject({
      url: `grpcs://${peer.host}:${peer.port}`,
      grpcOptions: { 'ssl-target-name-override': peer.name },
    });
    expect(profile.peers[peer.name].tlsCACerts.pem).toContain('BEGIN CERTIFICATE');
    expect([profile.certificateAuthorities, profile.organizations.Education.certificateAuthorities]).toEqual([
      {},
      [],
    ]);
  }, 120_000); // cryptogen's keys: slow on a loaded machine

  it('nodes.list has one line per node for the scripts', () => {
    expect(fs.readFileSync(native.nodesList, 'utf8').trim().split('\n')).toEqual([
      'orderer orderer.egov.local 10.117.0.11 OrdererMSP 10.117.0.11:7050 10.117.0.11:7053 10.117.0.11:9443',
      'orderer orderer2.egov.local 10.117.0.12 OrdererMSP 10.117.0.12:7050 10.117.0.12:7053 10.117.0.12:9443',
      'orderer orderer3.egov.local 10.117.0.13 OrdererMSP 10.117.0.13:7050 10.117.0.13:7053 10.117.0.13:9443',
      'peer peer0.immigration.egov.local 10.117.0.21 ImmigrationMSP 10.117.0.21:7051 - 10.117.0.21:9444',
      'peer peer0.education.egov.local 10.117.0.22 EducationMSP 10.117.0.22:7051 - 10.117.0.22:9444',
      'peer peer0.health.egov.local 10.117.0.23 HealthMSP 10.117.0.23:7051 - 10.117.0.23:9444',
      'peer peer0.centralbank.egov.local 10.117.0.24 CentralBankMSP 10.117.0.24:7051 - 10.117.0.24:9444',
    ]);
  });

  it('dns addressing: nodes by name, env paths inside the images, clients on published ports', () => {
    const dnsOut = path.join(out, 'dns');
    const dns = generateFabricNetwork({ out: dnsOut, addressing: { kind: 'dns', clientHost: '127.0.0.1' } });
    const consenters = parse(fs.readFileSync(dns.configtx, 'utf8')).Profiles.ChannelUsingRaft.Orderer.EtcdRaft
      .Consenters;
    expect(consenters.map((c: { Host: string; Port: number }) => `${c.Host}:${c.Port}`)).toEqual([
      'orderer.egov.local:7050',
      'orderer2.egov.local:8050',
      'orderer3.egov.local:9050',
    ]);
    const env = readEnv(path.join(dnsOut, 'env', 'peer0.immigration.egov.local.env'));
    expect(env.CORE_PEER_MSPCONFIGPATH).toBe(
      '/etc/hyperledger/crypto/peerOrganizations/immigration.egov.local/peers/peer0.immigration.egov.local/msp',
    );
    expect(env.CORE_PEER_ADDRESS).toBe('peer0.immigration.egov.local:7051');
    expect(dns.network.organizations[2].peers[0]).toMatchObject({ host: '127.0.0.1', port: 9051 });
    const ports = [
      ...dns.network.fabric.orderers.flatMap((o) => [o.port, o.adminPort, o.operationsPort]),
      ...dns.network.fabric.peers.flatMap((p) => [p.port, p.operationsPort]),
    ];
    expect(new Set(ports).size).toBe(ports.length);
  });
});

describe('address plan and CLI', () => {
  const config = loadMinistries();

  it('refuses a public or malformed subnet, naming it', () => {
    expect(() => checkSubnet('8.8.8')).toThrow("subnet '8.8.8' is not in a private range");
    expect(() => checkSubnet('10.300.0')).toThrow("subnet '10.300.0': expected the first three octets");
    expect(() => planNetwork(config, { kind: 'native', subnet: '10.1' })).toThrow("subnet '10.1'");
    expect(checkSubnet('192.168.7')).toBe('192.168.7');
  });

  it('refuses an orderer count outside 1..9', () => {
    expect(() => planNetwork(config, { kind: 'native', subnet: '10.117.0' }, 0)).toThrow(
      'orderer count 0: expected 1 to 9 Raft consenters',
    );
  });

  it('names the ccaas peer as test-network does (host name and first domain label)', () => {
    const plan = planNetwork(config, { kind: 'native', subnet: '10.117.0' });
    expect(plan.peers.map(ccaasPeerName)).toEqual([
      'peer0immigration',
      'peer0education',
      'peer0health',
      'peer0centralbank',
    ]);
  });

  it('parses the command line and names what is wrong', () => {
    expect(parseFabricArgs(['--out', 'x', '--subnet', '10.9.9', '--ccaas-builder', '/b'])).toMatchObject({
      out: 'x',
      addressing: { kind: 'native', subnet: '10.9.9' },
      nodeFiles: { ccaasBuilderDir: '/b' },
    });
    expect(parseFabricArgs(['--out', 'x', '--addressing', 'dns'])).toMatchObject({
      addressing: { kind: 'dns', clientHost: '127.0.0.1' },
    });
    expect(() => parseFabricArgs(['--out'])).toThrow('--out needs a value');
    expect(() => parseFabricArgs(['--bogus', '1'])).toThrow('unknown argument --bogus');
    expect(() => parseFabricArgs([])).toThrow('--out is required');
    expect(() => parseFabricArgs(['--out', 'x', '--addressing', 'k8s'])).toThrow(
      '--addressing k8s: expected native or dns',
    );
  });

  it('native addressing without a ccaas builder folder is refused', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-fabric-'));
    try {
      expect(() =>
        generateFabricNetwork({ out, addressing: { kind: 'native', subnet: '10.117.0' } }),
      ).toThrow('the ccaas builder folder is required for native addressing');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
