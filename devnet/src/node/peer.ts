/**
 * The peer process (fabric cmd/peer, internal/peer/node/start.go): `node devnet/dist/node/peer.js` with
 * DEVNET_HOME (runtime directory) and DEVNET_NODE_NAME (e.g. peer0.immigration.egov.local). Joins the channel
 * from the genesis block on first start, else resumes from its ledger; serves Endorser, Deliver and Gateway on
 * 127.0.0.1:<port> with TLS; pulls blocks from the orderer; operations server with /healthz checks "ledger"
 * and "orderer-connection"; writes <nodeDir>/node.pid; stops cleanly on SIGTERM/SIGINT.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runtimeParamsFromEnv } from '../chaincode';
import { getLogger } from '../common/logging';
import { Endorser } from '../endorser';
import { newNetworkBroadcastClients, newNetworkEndorserFactory, registerGatewayService } from '../gateway';
import { newSignaturePolicy } from '../policies';
import { PeerNode } from '../peer/peernode';
import type { EndorserResources, GatewayResources } from '../peer/peernode';
import { devnetHome, loadNetwork, nodeDir } from './config';
import { startOperationsServer, OperationsServer } from './operations';

const logger = getLogger('peer.node');

/** The local endorser over this peer's channel, chaincode support and signing identity (endorser/). */
function newEndorser(r: EndorserResources): Endorser {
  return new Endorser({
    channels: (id: string) => (id === r.channel.channelId ? r.channel : undefined),
    chaincodeSupport: r.chaincodeSupport,
    signer: r.signer,
    systemChaincodes: r.systemChaincodes,
    privateData: (id: string) => (id === r.channel.channelId ? r.privateData : undefined),
  });
}

/** Registers the gateway.Gateway service with this peer's endorser, channel, other peers and the orderer. */
function registerGateway(r: GatewayResources): { close(): void } {
  const clientTls = {
    certPem: fs.readFileSync(r.peer.tls.certPath),
    keyPem: fs.readFileSync(r.peer.tls.keyPath),
  };
  const orderers = newNetworkBroadcastClients(r.network, clientTls);
  const channelOf = (id: string) => (id === r.channel.channelId ? r.channel : undefined);
  const handle = registerGatewayService(r.server, {
    localEndorser: r.endorser,
    localMspId: r.org.mspId,
    localAddress: `${r.peer.name}:${r.peer.port}`,
    getChannel: channelOf,
    getChaincodeDefinition: (id, name) => channelOf(id)?.definitions(name),
    isSysCC: (name) => r.systemChaincodes?.isSysCC(name) ?? false,
    newEndorser: newNetworkEndorserFactory(r.network, clientTls),
    orderers: (id) => (channelOf(id) ? orderers : []),
    newSignaturePolicy: (_id, envelope) => newSignaturePolicy(envelope, r.channel.bundle.msps),
  });
  return {
    close: () => {
      handle.close();
      for (const o of orderers) o.close();
    },
  };
}

/** Starts the peer named by DEVNET_NODE_NAME and keeps it running until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const peerName = process.env.DEVNET_NODE_NAME;
  if (!peerName)
    throw new Error('DEVNET_NODE_NAME is not set: name the peer to run, e.g. peer0.immigration.egov.local');
  const home = devnetHome();
  const network = loadNetwork(home);
  const node = new PeerNode({
    home,
    fileSystemPath: nodeDir(home, peerName),
    network,
    peerName,
    newEndorser,
    registerGateway,
    chaincodeRuntimeParams: runtimeParamsFromEnv(process.env),
  });
  const pidFile = path.join(nodeDir(home, peerName), 'node.pid');
  const running: { ops?: OperationsServer } = {};
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping peer');
    await running.ops?.close();
    await node.stop();
    fs.rmSync(pidFile, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await node.start();
  const descriptor = network.organizations.flatMap((o) => o.peers).find((p) => p.name === peerName)!;
  const ops = await startOperationsServer({
    port: descriptor.operationsPort,
    checks: {
      ledger: async () => node.checkLedger(),
      'orderer-connection': async () => {
        if (!node.ordererConnected) throw new Error(`no deliver stream to ${network.orderer.name}`);
      },
    },
  });
  running.ops = ops;
  fs.mkdirSync(path.dirname(pidFile), { recursive: true });
  fs.writeFileSync(pidFile, `${process.pid}\n`);
  logger.info({ port: node.port, operationsPort: ops.port }, 'peer ready');
}

main().catch((e: Error) => {
  logger.fatal({ err: e.message }, 'peer failed to start');
  process.exit(1);
});
