import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, orderer } from '@hyperledger/fabric-protos';
import { generateNetwork, type NetworkDescriptor } from '@govfabric/network-config';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { clientCredentials } from '../common/grpc/credentials';
import { signedEnvelope, testIdentity } from '../common/deliver/testkit';
import { clientOptions } from '../common/grpc/options';
import { extractTxId } from '../ledger/blockstore/blocktxinfo';
import { SigningIdentity } from '../msp/signingidentity';
import { blockSignaturesAsSignedData } from '../protoutil/blockutils';
import { computeTxId, newNonce } from '../protoutil/txid';
import { RunningOrderer, startOrderer } from './orderer';

jest.setTimeout(30_000);

/** An envelope signed by `id`, as the gateway or the peer CLI would build it. */
function envelope(
  net: NetworkDescriptor,
  id: SigningIdentity,
  type: number,
  data: Uint8Array,
): { env: common.Envelope; txId: string } {
  const nonce = newNonce();
  const creator = id.serialize();
  const txId = computeTxId(nonce, creator);
  const chdr = new common.ChannelHeader();
  chdr.setType(type);
  chdr.setChannelId(net.channel);
  chdr.setTxId(txId);
  const ts = new Timestamp();
  ts.setSeconds(Math.floor(Date.now() / 1000));
  chdr.setTimestamp(ts);
  const shdr = new common.SignatureHeader();
  shdr.setCreator(creator);
  shdr.setNonce(nonce);
  const header = new common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  header.setSignatureHeader(shdr.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(data);
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  env.setSignature(id.sign(env.getPayload_asU8()));
  return { env, txId };
}

describe('orderer node', () => {
  let home: string;
  let net: NetworkDescriptor;
  let node: RunningOrderer | undefined;
  let client: orderer.AtomicBroadcastClient | undefined;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'orderer-node-'));
    net = await generateNetwork({ home });
  });
  afterEach(async () => {
    client?.close();
    await node?.stop();
    node = undefined;
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  function connect(port: number): orderer.AtomicBroadcastClient {
    return new orderer.AtomicBroadcastClient(
      `127.0.0.1:${port}`,
      clientCredentials(net.orderer.tls.caCertPath),
      clientOptions(net.orderer.name),
    );
  }

  function broadcast(envs: common.Envelope[]): Promise<orderer.BroadcastResponse[]> {
    return new Promise((resolve, reject) => {
      const stream = client!.broadcast();
      const rs: orderer.BroadcastResponse[] = [];
      stream.on('data', (r: orderer.BroadcastResponse) => rs.push(r));
      stream.on('end', () => resolve(rs));
      stream.on('error', reject);
      envs.forEach((e) => stream.write(e));
      stream.end();
    });
  }

  function deliverAll(id: SigningIdentity): Promise<orderer.DeliverResponse[]> {
    const si = new orderer.SeekInfo();
    const start = new orderer.SeekPosition();
    start.setOldest(new orderer.SeekOldest());
    const stop = new orderer.SeekPosition();
    stop.setNewest(new orderer.SeekNewest());
    si.setStart(start);
    si.setStop(stop);
    const { env } = envelope(net, id, common.HeaderType.DELIVER_SEEK_INFO, si.serializeBinary());
    return new Promise((resolve, reject) => {
      const stream = client!.deliver();
      const rs: orderer.DeliverResponse[] = [];
      stream.on('data', (r: orderer.DeliverResponse) => {
        rs.push(r);
        if (r.getTypeCase() === orderer.DeliverResponse.TypeCase.STATUS) {
          stream.end();
          resolve(rs);
        }
      });
      stream.on('error', reject);
      stream.write(env);
    });
  }

  it('bootstraps from the genesis block, orders over TLS with real policies, and resumes after a restart', async () => {
    node = await startOrderer({ home, port: 0, operationsPort: 0 });
    expect(fs.readFileSync(path.join(home, 'nodes', net.orderer.name, 'node.pid'), 'utf8').trim()).toBe(
      String(process.pid),
    );
    const health = await fetch(`http://127.0.0.1:${node.operationsPort}/healthz`);
    expect(health.status).toBe(200);

    client = connect(node.port);
    const org = net.organizations[0];
    const user = SigningIdentity.fromMSPDir(org.user.mspDir, org.mspId);
    const a = envelope(net, user, common.HeaderType.ENDORSER_TRANSACTION, Buffer.from('a'));
    const b = envelope(net, user, common.HeaderType.ENDORSER_TRANSACTION, Buffer.from('b'));
    const responses = await broadcast([a.env, b.env]);
    expect(responses.map((r) => r.getStatus())).toEqual([common.Status.SUCCESS, common.Status.SUCCESS]);
    await node.registrar.getChain(net.channel)!.store.waitForHeight(2); // accepted, then written

    const blocks = await deliverAll(user);
    expect(blocks[blocks.length - 1].getStatus()).toBe(common.Status.SUCCESS);
    const last = blocks[blocks.length - 2].getBlock()!;
    expect(last.getHeader()!.getNumber()).toBeGreaterThanOrEqual(1);
    // The orderer's block signature satisfies the channel's BlockValidation policy, as peers check.
    const bundleStore = node.registrar.getChain(net.channel)!;
    const policy = bundleStore.resources.policies.getPolicy('/Channel/Orderer/BlockValidation')!;
    expect(() => policy.evaluate(blockSignaturesAsSignedData(last))).not.toThrow();
    const height = bundleStore.store.height();

    await node.stop();
    node = undefined;
    client.close();
    expect(fs.existsSync(path.join(home, 'nodes', net.orderer.name, 'node.pid'))).toBe(false);

    node = await startOrderer({ home, port: 0, operationsPort: 0 });
    expect(node.registrar.getChain(net.channel)!.store.height()).toBe(height);
    client = connect(node.port);
    const c = envelope(net, user, common.HeaderType.ENDORSER_TRANSACTION, Buffer.from('c'));
    expect((await broadcast([c.env])).map((r) => r.getStatus())).toEqual([common.Status.SUCCESS]);
    await node.registrar.getChain(net.channel)!.store.waitForHeight(height + 1);
    // The orderer indexes block numbers only, as Fabric's: find the transaction in the new block.
    const block = await node.registrar.getChain(net.channel)!.store.getBlock(height);
    expect(block!.getData()!.getDataList_asU8().map(extractTxId)).toEqual([c.txId]);
  });

  it('answers FORBIDDEN, with the policy named, to an identity of an organization outside the channel', async () => {
    node = await startOrderer({ home, port: 0, operationsPort: 0 });
    client = connect(node.port);
    const outsider = await testIdentity('NoSuchMSP');
    const env = signedEnvelope({
      channelId: net.channel,
      type: common.HeaderType.ENDORSER_TRANSACTION,
      data: Buffer.from('x'),
      signer: outsider,
    });
    const rs = await broadcast([env]);
    expect(rs[0].getStatus()).toBe(common.Status.FORBIDDEN);
    expect(rs[0].getInfo()).toMatch(/Writers.*permission denied$/);
  });
});
