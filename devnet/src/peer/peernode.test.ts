import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { common, orderer, peer } from '@hyperledger/fabric-protos';
import { generateNetwork, NetworkDescriptor } from '@govfabric/network-config';
import { Bundle } from '../channelconfig';
import { handleDeliver } from '../common/deliver';
import { clientCredentials, clientOptions, serverCredentials } from '../common/grpc';
import { seekInfoBlocksFrom } from '../committer';
import { BlockStore } from '../ledger/blockstore';
import { committedDefinitionWrites } from '../lifecycle/testing';
import { SigningIdentity } from '../msp';
import { blockHeaderHash, createSignedEnvelope } from '../protoutil';
import { endorsedTx, testBlock } from '../validator/testing';
import { PeerNode } from './peernode';

const Code = peer.TxValidationCode;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function until(cond: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('PeerNode', () => {
  let home: string;
  let network: NetworkDescriptor;
  let ordererStore: BlockStore;
  let ordererServer: grpc.Server;
  let ordererSigner: SigningIdentity;

  beforeAll(async () => {
    home = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'peernode-'));
    const generated = await generateNetwork({ home });
    // Ephemeral ports so the test never meets a running devnet.
    network = { ...generated, orderer: { ...generated.orderer, port: await freePort() } };
    network.organizations = generated.organizations.map((o) => ({
      ...o,
      peers: o.peers.map((p) => ({ ...p, port: 0 })),
    }));
    ordererSigner = SigningIdentity.fromMSPDir(network.orderer.mspDir, network.orderer.mspId);
    ordererStore = await BlockStore.open(path.join(home, 'test-orderer'));
    const genesis = common.Block.deserializeBinary(fs.readFileSync(network.genesisBlockPath));
    await ordererStore.append(genesis);
    // Block 1 commits egov's definition through `_lifecycle` (endorsed by a majority), as `devnet deploy` does.
    await ordererAppendTx(committedDefinitionWrites('egov', '0.1', 1), '_lifecycle');
    const bundle = Bundle.fromConfigBlock(genesis);
    ordererServer = new grpc.Server();
    ordererServer.addService(orderer.AtomicBroadcastService, {
      broadcast: (call: grpc.ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>) => call.end(),
      deliver: (call: grpc.ServerDuplexStream<common.Envelope, orderer.DeliverResponse>) =>
        handleDeliver(
          call as never,
          {
            channelId: network.channel,
            store: ordererStore,
            policies: bundle.policies,
            readersPolicy: '/Channel/Readers',
          },
          'orderer',
        ),
    });
    await new Promise<number>((resolve, reject) =>
      ordererServer.bindAsync(
        `127.0.0.1:${network.orderer.port}`,
        serverCredentials(network.orderer.tls),
        (e, p) => (e ? reject(e) : resolve(p)),
      ),
    );
  }, 30_000);

  afterAll(async () => {
    ordererServer.forceShutdown();
    await ordererStore.close();
    await fs.promises.rm(home, { recursive: true, force: true });
  });

  function newNode(): PeerNode {
    const peerName = network.organizations[0].peers[0].name;
    return new PeerNode({
      home,
      fileSystemPath: path.join(home, 'nodes', peerName),
      network,
      peerName,
      newEndorser: () => ({ processProposal: () => Promise.reject(new Error('no endorser in this test')) }),
    });
  }

  /** Appends to the orderer a block with one transaction endorsed by a majority of the organizations' peers. */
  async function ordererAppendTx(writes: Record<string, string>, chaincode = 'egov'): Promise<string> {
    const orgs = network.organizations;
    const a = orgs[0];
    const client = SigningIdentity.fromMSPDir(a.user.mspDir, a.mspId);
    const majority = orgs.slice(0, Math.floor(orgs.length / 2) + 1);
    const endorsers = majority.map((o) => SigningIdentity.fromMSPDir(o.peers[0].mspDir, o.mspId));
    const { envelope, txId } = endorsedTx(network.channel, client, endorsers, { writes, chaincode });
    const last = ordererStore.lastBlock()!;
    await ordererStore.append(
      testBlock(ordererStore.height(), blockHeaderHash(last.getHeader()!), [envelope], ordererSigner),
    );
    return txId;
  }

  it('joins from the genesis block, commits blocks from the orderer, serves Deliver, and resumes after a restart', async () => {
    const node = newNode();
    await node.start();
    try {
      expect(node.channel.store.height()).toBe(1);
      await until(() => node.ordererConnected);
      expect(() => node.checkLedger()).not.toThrow();
      const txId = await ordererAppendTx({ passport: 'P-1' });
      await expect(node.channel.waitForTx(txId)).resolves.toEqual({
        blockNumber: 2,
        validationCode: Code.VALID,
      });
      expect(Buffer.from((await node.channel.state.get('egov', 'passport'))!.value).toString()).toBe('P-1');

      // The peer's Deliver service streams the committed block, with its TRANSACTIONS_FILTER, to a channel reader.
      const me = network.organizations[0].peers[0];
      const user = network.organizations[0].user;
      const deliver = new peer.DeliverClient(
        `127.0.0.1:${node.port}`,
        clientCredentials(me.tls.caCertPath),
        clientOptions(me.name),
      );
      const call = deliver.deliver();
      const seek = orderer.SeekInfo.deserializeBinary(seekInfoBlocksFrom(2));
      const stopAt = new orderer.SeekSpecified();
      stopAt.setNumber(2);
      seek.getStop()!.setSpecified(stopAt);
      seek.setBehavior(orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY);
      call.write(
        createSignedEnvelope({
          type: common.HeaderType.DELIVER_SEEK_INFO,
          channelId: network.channel,
          signer: SigningIdentity.fromMSPDir(user.mspDir, network.organizations[0].mspId),
          data: seek,
        }),
      );
      const responses: peer.DeliverResponse[] = [];
      for await (const r of call as AsyncIterable<peer.DeliverResponse>) {
        responses.push(r);
        if (r.getTypeCase() === peer.DeliverResponse.TypeCase.STATUS) break;
      }
      call.cancel();
      deliver.close();
      expect(responses[0].getBlock()!.getHeader()!.getNumber()).toBe(2);
      expect(
        Array.from(
          responses[0].getBlock()!.getMetadata()!.getMetadataList_asU8()[
            common.BlockMetadataIndex.TRANSACTIONS_FILTER
          ],
        ),
      ).toEqual([Code.VALID]);
      expect(responses[1].getStatus()).toBe(common.Status.SUCCESS);
    } finally {
      await node.stop();
    }

    await ordererAppendTx({ visa: 'V-1' });
    const restarted = newNode();
    await restarted.start();
    try {
      await until(async () => restarted.channel.store.height() === 4);
      expect(Buffer.from((await restarted.channel.state.get('egov', 'visa'))!.value).toString()).toBe('V-1');
      expect(await restarted.channel.state.savepoint()).toBe(3);
    } finally {
      await restarted.stop();
    }
  }, 30_000);
});
