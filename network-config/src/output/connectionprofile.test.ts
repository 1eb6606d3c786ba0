import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { generateNetwork } from '../generate';
import type { NetworkDescriptor, OrganizationDescriptor } from '../types';
import { buildConnectionProfile, connectionProfilePath, type ConnectionProfile } from './connectionprofile';

let tmp: string;
let network: NetworkDescriptor;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ccp-'));
  network = await generateNetwork({ home: path.join(tmp, 'home') });
}, 120_000); // cryptogen's keys: slow on a loaded machine
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const read = (org: OrganizationDescriptor): ConnectionProfile =>
  JSON.parse(fs.readFileSync(connectionProfilePath(network.home, org, 'json'), 'utf8')) as ConnectionProfile;

describe('common connection profiles', () => {
  it('are written for every ministry as JSON and the same YAML, in <home>/profiles', () => {
    for (const org of network.organizations) {
      const json = connectionProfilePath(network.home, org, 'json');
      expect(path.basename(json)).toBe(`connection-${org.name.toLowerCase()}.json`);
      expect(path.dirname(json)).toBe(path.join(network.home, 'profiles'));
      const yaml = parse(
        fs.readFileSync(connectionProfilePath(network.home, org, 'yaml'), 'utf8'),
      ) as unknown;
      expect(yaml).toEqual(read(org));
    }
  });

  it("name the client's organization and every ministry with its MSP ID and peers", () => {
    const [org] = network.organizations;
    const ccp = read(org);
    expect(ccp.client.organization).toBe(org.name);
    expect(ccp.version).toBe('1.0.0');
    expect(Object.keys(ccp.organizations).sort()).toEqual(network.organizations.map((o) => o.name).sort());
    for (const o of network.organizations) {
      expect(ccp.organizations[o.name]).toEqual({
        mspid: o.mspId,
        peers: o.peers.map((p) => p.name),
        certificateAuthorities: [o.ca.name],
      });
    }
  });

  it('give each peer and the orderer a grpcs URL, the TLS CA that issued its certificate and its TLS name', () => {
    const ccp = read(network.organizations[1]);
    const nodes = [
      ...network.organizations.flatMap((o) => o.peers.map((p) => ({ entry: ccp.peers[p.name], node: p }))),
      { entry: ccp.orderers[network.orderer.name], node: network.orderer },
    ];
    for (const { entry, node } of nodes) {
      expect(entry.url).toBe(`grpcs://${node.host}:${node.port}`);
      expect(entry.grpcOptions).toEqual({
        'ssl-target-name-override': node.name,
        hostnameOverride: node.name,
      });
      const cert = new X509Certificate(fs.readFileSync(node.tls.certPath));
      expect(cert.verify(new X509Certificate(entry.tlsCACerts.pem).publicKey)).toBe(true);
      expect(cert.checkHost(node.name)).toBe(node.name);
    }
    expect(ccp.channels[network.channel].orderers).toEqual([network.orderer.name]);
    expect(Object.keys(ccp.channels[network.channel].peers)).toEqual(Object.keys(ccp.peers));
  });

  it("give the client organization's certificate authority with its TLS CA", () => {
    const [org, other] = network.organizations;
    const ccp = buildConnectionProfile(network, org);
    expect(ccp.organizations[other.name].certificateAuthorities).toEqual([other.ca.name]);
    expect(ccp.certificateAuthorities).toEqual({
      [org.ca.name]: {
        url: org.ca.url,
        caName: org.ca.caName,
        tlsCACerts: { pem: [fs.readFileSync(org.ca.tls.caCertPath, 'utf8')] },
        httpOptions: { verify: true },
      },
    });
    expect(org.ca.url).toMatch(/^https:\/\//);
  });

  it('are written again for a home generated before they existed', async () => {
    const file = connectionProfilePath(network.home, network.organizations[0], 'json');
    fs.rmSync(file);
    await generateNetwork({ home: network.home });
    expect(fs.existsSync(file)).toBe(true);
  }, 60_000);
});
