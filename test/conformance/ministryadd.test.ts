import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, gateway, msp, peer } from '@hyperledger/fabric-protos';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { PORT_OFFSET, devnetCli, realFabricNetworkFile } from '../support/devnet';
import { connectGateway, type GatewayConnection } from '../support/gateway';
import { queryCommittedArgs } from './lifecyclesupport';

// Issue 19: a ministry appended to ministries.yaml joins the RUNNING channel with `devnet ministry-add`
// (npm run ministry:add): a config update signed by a majority of the member ministries' admins, its
// peer joined from the genesis block, egov approved by it (a new sequence: its collections name every
// ministry). Its own small network (two ministries, then three), so the shared test network keeps its
// four ministries and their MAJORITY: a devnet on ports of its own, or under `npm run test:fabric`
// (GOVFABRIC_FABRIC_CONTROL) a second native.sh network of Fabric's binaries (one orderer) in
// namespaces and a subnet of its own, grown by `native.sh ministry-add`.
const onFabric = realFabricNetworkFile() !== undefined;
const control = process.env.GOVFABRIC_FABRIC_CONTROL;
const runnable =
  !onFabric || (control !== undefined && control !== '' && process.env.FABRIC_BIN !== undefined);
const describeIf = runnable ? describe : describe.skip;
if (!runnable)
  console.log(
    "ministryadd: SKIPPED on real Fabric without GOVFABRIC_FABRIC_CONTROL and FABRIC_BIN (npm run test:fabric sets them): the new ministry's peer is started by native.sh",
  );
/** devnet only: the anchor-peers command and the decoding of its config update. */
const itDevnet = onFabric ? it.skip : it;

/** The small network's control: the devnet CLI, or native.sh with this suite's home, namespaces and subnet. */
function networkCli(home: string, command: string): string {
  if (!onFabric) return devnetCli(home, command);
  const r = spawnSync('bash', [control as string, command], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GOVFABRIC_FABRIC_HOME: path.join(home, 'fabric'),
      GOVFABRIC_MINISTRIES: path.join(home, 'ministries.yaml'),
      GOVFABRIC_NETNS_PREFIX: 'gfa',
      GOVFABRIC_FABRIC_SUBNET: process.env.GOVFABRIC_MINISTRYADD_SUBNET ?? '10.119.0',
      GOVFABRIC_FABRIC_ORDERERS: '1',
      GATEWAY_PORT: String(PORT_OFFSET + 3200),
    },
  });
  if (r.status !== 0) throw new Error(`native.sh ${command} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

const descriptorFile = (home: string): string =>
  onFabric ? path.join(home, 'fabric', 'network.json') : path.join(home, 'network.json');

/**
 * Fabric's configtxlator: FABRIC_BIN's (as test:fabric and native.sh take it), else one on PATH, else
 * this machine's build of Fabric 2.5 (/tmp/fabric-build/bin; never built by the repository).
 */
const CONFIGTXLATOR =
  [process.env.FABRIC_BIN, ...(process.env.PATH ?? '').split(path.delimiter), '/tmp/fabric-build/bin']
    .filter((dir): dir is string => dir !== undefined && dir !== '')
    .map((dir) => path.join(dir, 'configtxlator'))
    .find((file) => fs.existsSync(file)) ?? 'configtxlator';
const NEW = 'HealthMSP';
/** This suite's ports: the test offset + 1000 .. + 1310, below the shared test network's (offset + 3000 and up). */
const base = PORT_OFFSET + 1000;

const ministry = (mspId: string, name: string, i: number): string => `  - mspId: ${mspId}
    name: ${name}
    domain: ${name.toLowerCase()}.egov.local
    peers: [{ hostname: peer0, port: ${base + 100 * i}, operationsPort: ${base + 100 * i + 1}, chaincodePort: ${base + 100 * i + 2} }]
    ca: { port: ${base + 100 * i + 4} }
`;

const YAML = `channel: egov
chaincode: { name: egov, version: "0.1" }
orderer:
  name: OrdererOrg
  mspId: OrdererMSP
  domain: egov.local
  hostname: orderer
  port: ${base + 50}
  operationsPort: ${base + 60}
  ca: { port: ${base + 54} }
  batchTimeout: 100ms
  batchSize: { maxMessageCount: 50, absoluteMaxBytes: 10 MB, preferredMaxBytes: 2 MB }
ministries:
${ministry('ImmigrationMSP', 'Immigration', 1)}${ministry('CentralBankMSP', 'CentralBank', 2)}`;

const HASH = 'ab'.repeat(32);

/** egov's public verification:Verify (an unknown record: logged as NOT_FOUND), endorsed by `endorsers`. */
async function verify(conn: GatewayConnection, channel: string, endorsers: string[]) {
  const contract = conn.gateway.getNetwork(channel).getContract('egov');
  const proposal = contract.newProposal('verification:Verify', {
    arguments: ['', HASH, 'false'],
    endorsingOrganizations: endorsers,
  });
  const tx = await endorseWhenKnown(() => proposal.endorse());
  const submitted = await tx.submit();
  const status = await submitted.getStatus();
  return { status, endorsedBy: endorserMspIds(tx.getBytes()) };
}

/**
 * On Fabric a gateway learns of the new ministry's peer (and it of the others) through gossip, seconds
 * after the join: endorsement is tried again while the gateway answers that it cannot find the
 * organization's peers yet. devnet's gateways know every peer of the config at once.
 */
async function endorseWhenKnown<T>(endorse: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await endorse();
    } catch (err) {
      const converging =
        /no combination of peers can be derived|no peers available|unavailability of peers|failed to find any endorsing peers/i.test(
          String((err as Error).message),
        );
      if (!onFabric || !converging || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

/** The MSP IDs of the endorsements in a prepared transaction (fabric-gateway's Transaction.getBytes()). */
function endorserMspIds(prepared: Uint8Array): string[] {
  const envelope = gateway.PreparedTransaction.deserializeBinary(prepared).getEnvelope()!;
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const tx = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const cap = peer.ChaincodeActionPayload.deserializeBinary(tx.getActionsList()[0].getPayload_asU8());
  return cap
    .getAction()!
    .getEndorsementsList()
    .map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid())
    .sort();
}

/** qscc / cscc / _lifecycle through a ministry's own peer (its gateway evaluates there first). */
async function evaluate(
  conn: GatewayConnection,
  channel: string,
  cc: string,
  fcn: string,
  args: (string | Uint8Array)[],
) {
  return conn.gateway.getNetwork(channel).getContract(cc).evaluate(fcn, { arguments: args });
}

describeIf('adding a ministry to a running channel (devnet ministry-add, native.sh ministry-add)', () => {
  let home: string;
  let net: NetworkDescriptor;
  const conns = new Map<string, GatewayConnection>();
  const conn = (mspId: string, who: 'user' | 'admin' = 'user'): GatewayConnection => {
    const key = `${mspId}/${who}`;
    if (!conns.has(key)) conns.set(key, connectGateway(net, mspId, who));
    return conns.get(key)!;
  };
  const closeAll = () => {
    for (const c of conns.values()) c.close();
    conns.clear();
  };
  let addOutput: string;
  /** The new ministry's peer's blocks, by number (filled by the whole-chain test). */
  const chain: Uint8Array[] = [];

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'govfabric-ministryadd-'));
    fs.writeFileSync(path.join(home, 'ministries.yaml'), YAML);
    if (onFabric) networkCli(home, 'up');
    else {
      devnetCli(home, 'up');
      devnetCli(home, 'deploy');
    }
    net = JSON.parse(fs.readFileSync(descriptorFile(home), 'utf8')) as NetworkDescriptor;
    // A transaction before the ministry joins: the chain it pulls holds more than config.
    expect(
      (await verify(conn('ImmigrationMSP'), net.channel, ['ImmigrationMSP', 'CentralBankMSP'])).status
        .successful,
    ).toBe(true);
    closeAll();
    fs.appendFileSync(path.join(home, 'ministries.yaml'), ministry(NEW, 'Health', 3));
    addOutput = networkCli(home, 'ministry-add');
    net = JSON.parse(fs.readFileSync(descriptorFile(home), 'utf8')) as NetworkDescriptor;
  }, 600_000);

  afterAll(() => {
    closeAll();
    if (home === undefined) return;
    networkCli(home, 'down');
    if (process.env.KEEP_DEVNET !== '1') fs.rmSync(home, { recursive: true, force: true });
  });

  it('joins the ministry by one config update and approves egov at a new sequence', async () => {
    if (onFabric) {
      expect(addOutput).toMatch(/HealthMSP joins 'egov', signed by 2 of 2 ministries' admins/);
      expect(addOutput).toMatch(/peer lifecycle chaincode commit: egov sequence 2/);
    } else {
      expect(addOutput).toMatch(/HealthMSP joined the channel \(config sequence 1\)/);
      expect(addOutput).toMatch(/egov: definition sequence 2/);
    }
    expect(net.organizations.map((o) => o.mspId)).toEqual(['ImmigrationMSP', 'CentralBankMSP', NEW]);
    const block = common.Block.deserializeBinary(
      await evaluate(conn(NEW, 'admin'), net.channel, 'cscc', 'GetConfigBlock', [net.channel]),
    );
    const env = common.Envelope.deserializeBinary(block.getData()!.getDataList_asU8()[0]);
    const cfgEnv = common.ConfigEnvelope.deserializeBinary(
      common.Payload.deserializeBinary(env.getPayload_asU8()).getData_asU8(),
    );
    expect(cfgEnv.getConfig()!.getSequence()).toBe(1);
    const app = cfgEnv.getConfig()!.getChannelGroup()!.getGroupsMap().get('Application')!;
    const anchors = peer.AnchorPeers.deserializeBinary(
      app.getGroupsMap().get(NEW)!.getValuesMap().get('AnchorPeers')!.getValue_asU8(),
    );
    const own = net.organizations[2].peers[0];
    expect(anchors.getAnchorPeersList().map((a) => `${a.getHost()}:${a.getPort()}`)).toEqual([
      onFabric ? `${own.host}:${own.port}` : `127.0.0.1:${base + 300}`,
    ]);
    // The update's signatures: both member ministries' admins (MAJORITY of 2), not the new one's.
    const updatePayload = common.Payload.deserializeBinary(cfgEnv.getLastUpdate()!.getPayload_asU8());
    const update = common.ConfigUpdateEnvelope.deserializeBinary(updatePayload.getData_asU8());
    const signers = update.getSignaturesList().map((s) => {
      const h = common.SignatureHeader.deserializeBinary(s.getSignatureHeader_asU8());
      return msp.SerializedIdentity.deserializeBinary(h.getCreator_asU8()).getMspid();
    });
    expect(signers.sort()).toEqual(['CentralBankMSP', 'ImmigrationMSP']);

    const def = peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(
      await evaluate(conn(NEW, 'admin'), net.channel, '_lifecycle', 'QueryChaincodeDefinition', [
        queryCommittedArgs('egov'),
      ]),
    );
    expect(def.getSequence()).toBe(2);
    expect(Object.fromEntries(def.getApprovalsMap().getEntryList())).toEqual({
      CentralBankMSP: true,
      HealthMSP: true,
      ImmigrationMSP: true,
    });
    const collections = def
      .getCollections()!
      .getConfigList()
      .map((c) => c.getStaticCollectionConfig()!.getName());
    expect(collections).toEqual(['accountsImmigrationMSP', 'accountsHealthMSP']);
  });

  it("has the new ministry endorse: through its own peer's gateway and an existing peer's", async () => {
    const own = await verify(conn(NEW), net.channel, [NEW, 'ImmigrationMSP']);
    expect(own.status.code).toBe(peer.TxValidationCode.VALID);
    expect(own.endorsedBy).toEqual(['HealthMSP', 'ImmigrationMSP']);
    // Immigration's peer started before Health existed; its gateway finds Health's peer (anchor peer).
    const other = await verify(conn('ImmigrationMSP'), net.channel, ['CentralBankMSP', NEW]);
    expect(other.status.code).toBe(peer.TxValidationCode.VALID);
    expect(other.endorsedBy).toEqual(['CentralBankMSP', 'HealthMSP']);
  });

  it('the new peer holds the whole chain: same height and the same block hashes as the others', async () => {
    const info = async (mspId: string) => {
      const h = conn(mspId);
      const chain = common.BlockchainInfo.deserializeBinary(
        await evaluate(h, net.channel, 'qscc', 'GetChainInfo', [net.channel]),
      );
      return {
        height: chain.getHeight(),
        hash: Buffer.from(chain.getCurrentblockhash_asU8()).toString('hex'),
      };
    };
    // Every peer has committed the last transaction (the gateway waited on one; the others follow).
    const target = (await info('ImmigrationMSP')).height;
    const heights = async () => Promise.all(net.organizations.map((o) => info(o.mspId)));
    let all = await heights();
    for (let i = 0; i < 100 && all.some((x) => x.height < target); i++) {
      await new Promise((r) => setTimeout(r, 100));
      all = await heights();
    }
    expect(new Set(all.map((x) => `${x.height}/${x.hash}`)).size).toBe(1);
    expect(target).toBeGreaterThan(5);
    for (let n = 0; n < target; n++) {
      const blocks = await Promise.all(
        net.organizations.map((o) =>
          evaluate(conn(o.mspId), net.channel, 'qscc', 'GetBlockByNumber', [net.channel, String(n)]),
        ),
      );
      chain.push(blocks[2]);
      const headers = blocks.map((b) =>
        Buffer.from(common.Block.deserializeBinary(b).getHeader()!.serializeBinary()).toString('hex'),
      );
      expect([n, new Set(headers).size]).toEqual([n, 1]);
    }
  });

  itDevnet(
    "sets the new ministry's anchor peers with its own admin's signature (devnet anchor-peers)",
    async () => {
      const p = net.organizations[2].peers[0];
      expect(devnetCli(home, `anchor-peers ${NEW}`)).toMatch(
        /anchor peers were already 127\.0\.0\.1:\d+ \(config sequence 1\)/,
      );
      expect(devnetCli(home, `anchor-peers ${NEW} 127.0.0.1:${p.port} localhost:${p.port}`)).toMatch(
        /anchor peers are 127\.0\.0\.1:\d+, localhost:\d+ in the channel config \(sequence 2\)/,
      );
      expect(() => devnetCli(home, `anchor-peers ${NEW} nonsense`)).toThrow(
        /anchor peer nonsense is not host:port/,
      );
    },
  );

  const itConfigtxlator = fs.existsSync(CONFIGTXLATOR) && !onFabric ? it : it.skip;
  if (!fs.existsSync(CONFIGTXLATOR))
    console.log(`ministryadd: configtxlator decoding SKIPPED: no Fabric binary at ${CONFIGTXLATOR}`);
  itConfigtxlator(
    "decodes every block of the chain and the last config block with Fabric's configtxlator",
    async () => {
      expect(chain.length).toBeGreaterThan(5);
      chain.forEach((bytes, n) => {
        const file = path.join(home, `block-${n}.pb`);
        fs.writeFileSync(file, bytes);
        const decoded = `${file}.json`;
        const args = ['proto_decode', '--type', 'common.Block', '--input', file, '--output', decoded];
        const out = spawnSync(CONFIGTXLATOR, args, { encoding: 'utf8' });
        expect([n, out.status, out.stderr]).toEqual([n, 0, '']);
        expect(JSON.parse(fs.readFileSync(decoded, 'utf8')).header.number).toBe(String(n));
      });
      const raw = await evaluate(conn(NEW, 'admin'), net.channel, 'cscc', 'GetConfigBlock', [net.channel]);
      const file = path.join(home, 'config-block.pb');
      fs.writeFileSync(file, raw);
      const decoded = path.join(home, 'config-block.json');
      const args = ['proto_decode', '--type', 'common.Block', '--input', file, '--output', decoded];
      const out = spawnSync(CONFIGTXLATOR, args, { encoding: 'utf8' });
      expect([out.status, out.stderr]).toEqual([0, '']);
      const json = JSON.parse(fs.readFileSync(decoded, 'utf8'));
      const config = json.data.data[0].payload.data.config;
      expect(Number(config.sequence)).toBe(2);
      const health = config.channel_group.groups.Application.groups[NEW];
      expect(health.values.MSP.value.config.name).toBe(NEW);
      expect(health.values.AnchorPeers.value.anchor_peers).toEqual([
        { host: '127.0.0.1', port: base + 300 },
        { host: 'localhost', port: base + 300 },
      ]);
      // The update that set them was signed by the ministry's own admin alone.
      const signatures = json.data.data[0].payload.data.last_update.payload.data.signatures;
      expect(
        signatures.map(
          (s: { signature_header: { creator: { mspid: string } } }) => s.signature_header.creator.mspid,
        ),
      ).toEqual([NEW]);
    },
  );
});
