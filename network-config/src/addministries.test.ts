import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { addMinistries } from './addministries';
import { ministryConfigGroup } from './configtx/orggroup';
import { generateNetwork } from './generate';
import type { NetworkDescriptor } from './types';

// Generating crypto material takes seconds on a loaded 2-core machine.
jest.setTimeout(60_000);

const HEAD = `channel: egov
chaincode: { name: egov, version: "0.1" }
orderer:
  name: OrdererOrg
  mspId: OrdererMSP
  domain: egov.local
  hostname: orderer
  port: 47050
  operationsPort: 49443
  ca: { port: 46054 }
ministries:
  - mspId: ImmigrationMSP
    name: Immigration
    domain: immigration.egov.local
    peers: [{ hostname: peer0, port: 47051, operationsPort: 49444, chaincodePort: 47052 }]
    ca: { port: 47054 }
  - mspId: CentralBankMSP
    name: CentralBank
    domain: centralbank.egov.local
    peers: [{ hostname: peer0, port: 48051, operationsPort: 49445, chaincodePort: 48052 }]
    ca: { port: 48054 }
`;
const HEALTH = `  - mspId: HealthMSP
    name: Health
    domain: health.egov.local
    peers: [{ hostname: peer0, port: 49051, operationsPort: 49446, chaincodePort: 49052 }]
    ca: { port: 49054 }
`;

/** Every file under `dir` with its bytes. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), fs.readFileSync(file).toString('base64'));
  }
  return out;
}

/** The genesis block's channel config. */
function genesisConfig(net: NetworkDescriptor): common.Config {
  const block = common.Block.deserializeBinary(fs.readFileSync(net.genesisBlockPath));
  const env = common.Envelope.deserializeBinary(block.getData()!.getDataList_asU8()[0]);
  const payload = common.Payload.deserializeBinary(env.getPayload_asU8());
  return common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig()!;
}

describe('addMinistries: extending a generated network with appended ministries', () => {
  let tmp: string;
  let home: string;
  let yaml: string;
  let before: NetworkDescriptor;
  let crypto: Map<string, string>;
  let genesis: Buffer;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'govfabric-addministries-'));
    home = path.join(tmp, 'home');
    yaml = path.join(tmp, 'ministries.yaml');
    fs.writeFileSync(yaml, HEAD);
    before = await generateNetwork({ home, ministriesFile: yaml });
    crypto = snapshot(path.join(home, 'crypto'));
    genesis = fs.readFileSync(before.genesisBlockPath);
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('refuses a list that changes an existing ministry or removes one, naming it', async () => {
    fs.writeFileSync(yaml, HEAD.replace('port: 48051', 'port: 48061') + HEALTH);
    await expect(addMinistries({ home, ministriesFile: yaml })).rejects.toThrow(
      /CentralBankMSP changed .*append new ministries at the end/,
    );
    fs.writeFileSync(yaml, HEAD.split('  - mspId: CentralBankMSP')[0]);
    await expect(addMinistries({ home, ministriesFile: yaml })).rejects.toThrow(
      'CentralBankMSP is no longer in the list (removing a ministry is not supported)',
    );
    fs.writeFileSync(yaml, HEAD.replace('channel: egov', 'channel: other') + HEALTH);
    await expect(addMinistries({ home, ministriesFile: yaml })).rejects.toThrow('the channel changed');
    // Nothing was written.
    expect(snapshot(path.join(home, 'crypto'))).toEqual(crypto);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'network.json'), 'utf8'))).toEqual(before);
  });

  it('generates crypto for the new ministry only and keeps the rest, the genesis block included', async () => {
    fs.writeFileSync(yaml, HEAD + HEALTH);
    const { network, added } = await addMinistries({ home, ministriesFile: yaml });
    expect(added.map((o) => o.mspId)).toEqual(['HealthMSP']);
    expect(network.organizations.map((o) => o.mspId)).toEqual([
      'ImmigrationMSP',
      'CentralBankMSP',
      'HealthMSP',
    ]);
    const after = snapshot(path.join(home, 'crypto'));
    for (const [file, bytes] of crypto) expect([file, after.get(file)]).toEqual([file, bytes]);
    const newFiles = [...after.keys()].filter((f) => !crypto.has(f));
    expect(newFiles.length).toBeGreaterThan(0);
    expect(newFiles.every((f) => f.startsWith(path.join('peerOrganizations', 'health.egov.local')))).toBe(
      true,
    );
    expect(fs.readFileSync(network.genesisBlockPath)).toEqual(genesis);
    // The existing ministries' descriptors are what they were.
    expect(network.organizations.slice(0, 2)).toEqual(before.organizations);
    expect(JSON.parse(fs.readFileSync(path.join(home, 'network.json'), 'utf8'))).toEqual(network);
  });

  it('regenerates the collections config, profiles and connection profiles for the new list', () => {
    const collections = JSON.parse(fs.readFileSync(before.collectionsConfigPath!, 'utf8')) as {
      name: string;
      endorsementPolicy: { signaturePolicy: string };
    }[];
    expect(collections.map((c) => c.name)).toEqual(['accountsImmigrationMSP', 'accountsHealthMSP']);
    expect(collections[1].endorsementPolicy.signaturePolicy).toBe(
      "OR('CentralBankMSP.peer','HealthMSP.peer')",
    );
    for (const f of ['HealthMSP.json', 'HealthMSP-admin.json'])
      expect(fs.existsSync(path.join(home, 'profiles', f))).toBe(true);
    const profile = JSON.parse(fs.readFileSync(path.join(home, 'profiles', 'HealthMSP.json'), 'utf8'));
    expect(profile.peerEndpoint).toBe('127.0.0.1:49051');
  });

  it('leaves a network that generateNetwork reuses as is (network:up after a restart)', async () => {
    const json = fs.readFileSync(path.join(home, 'network.json'), 'utf8');
    const reused = await generateNetwork({ home, ministriesFile: yaml });
    expect(reused.organizations).toHaveLength(3);
    expect(fs.readFileSync(path.join(home, 'network.json'), 'utf8')).toBe(json);
    expect(fs.readFileSync(before.genesisBlockPath)).toEqual(genesis);
  });

  it('adds nothing when run again', async () => {
    const { added, network } = await addMinistries({ home, ministriesFile: yaml });
    expect(added).toEqual([]);
    expect(network.organizations).toHaveLength(3);
  });

  it("builds a ministry's config group as the genesis block holds an org's (configtxgen -printOrg)", () => {
    const group = genesisConfig(before)
      .getChannelGroup()!
      .getGroupsMap()
      .get('Application')!
      .getGroupsMap()
      .get('CentralBankMSP')!;
    const built = ministryConfigGroup(before.organizations[1]);
    expect(Buffer.from(built.serializeBinary())).toEqual(Buffer.from(group.serializeBinary()));
  });
});
