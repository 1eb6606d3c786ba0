// First: fabric-protos' namespaces load when used (before any module below requires the package).
import './lazyprotos.install';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { common } from '@hyperledger/fabric-protos';
import { Bundle } from '../channelconfig/bundle';
import { serverCredentials } from '../common/grpc/credentials';
import { nodeCertificatesOf } from '../common/grpc/nodecertificates';
import { newServer } from '../common/grpc/server';
import { shutdownServer } from '../common/grpc/shutdown';
import { getLogger } from '../common/logging';
import { BlockStore } from '../ledger/blockstore/blockstore';
import { SigningIdentity } from '../msp/signingidentity';
import { ChainSupport } from '../orderer/chainsupport';
import { Registrar } from '../orderer/registrar';
import { addAtomicBroadcastService } from '../orderer/server';
import { getLastConfigIndexFromBlock } from '../protoutil/blockutils';
import { devnetHome, loadNetwork, nodeDir } from './config';
import { OperationsServer, startOperationsServer } from './operations';
import { setBlockchainHeight } from '../metrics';

const logger = getLogger('orderer');

/** Options of {@link startOrderer}; by default everything comes from `<home>/network.json`. */
export interface OrdererOptions {
  /** Runtime directory (default: DEVNET_HOME or `<repo>/.devnet`). */
  home?: string;
  /** gRPC port override (0: any free port). */
  port?: number;
  /** Operations port override (0: any free port). */
  operationsPort?: number;
}

/** A running orderer. */
export interface RunningOrderer {
  /** gRPC port actually bound. */
  port: number;
  /** Operations port actually bound. */
  operationsPort: number;
  registrar: Registrar;
  /** Clean shutdown: stop accepting, write the pending batch, close stores and servers, remove the pid file. */
  stop(): Promise<void>;
}

/** Where the orderer keeps a channel's blocks (Fabric: <ledger>/chains/<channel>). */
export function ordererChainDir(home: string, nodeName: string, channelId: string): string {
  return path.join(nodeDir(home, nodeName), 'ledger', 'chains', channelId);
}

/**
 * Starts the orderer of the network in `home` (fabric cmd/orderer): opens the channel's block
 * store (appending the genesis block when it is empty, else resuming), builds the channel config
 * from the last config block, serves AtomicBroadcast (Broadcast, Deliver) with TLS on 127.0.0.1,
 * writes `node.pid` and starts the operations server.
 */
export async function startOrderer(options: OrdererOptions = {}): Promise<RunningOrderer> {
  const home = options.home ?? devnetHome();
  const net = loadNetwork(home);
  const od = net.orderer;
  const signer = SigningIdentity.fromMSPDir(od.mspDir, od.mspId);
  const store = await BlockStore.open(ordererChainDir(home, od.name, net.channel), {
    channelId: net.channel,
    blockNumbersOnly: true, // as Fabric's orderer ledger: Deliver seeks by number only
  });
  let support: ChainSupport;
  try {
    await bootstrapIfEmpty(store, net.genesisBlockPath, net.channel);
    const bundle = await configBundle(store, net.channel);
    support = new ChainSupport(bundle, store, signer);
    setBlockchainHeight(net.channel, store.height());
  } catch (err) {
    await store.close();
    throw err;
  }
  const registrar = new Registrar();
  registrar.add(support);

  const server = newServer({}, nodeCertificatesOf(net));
  addAtomicBroadcastService(server, registrar);
  const port = await bind(server, `127.0.0.1:${options.port ?? od.port}`, serverCredentials(od.tls));
  const ops = await startOperationsServer({
    port: options.operationsPort ?? od.operationsPort,
    checks: { consensus: async () => consensusHealthy(registrar) },
  });
  const pidFile = path.join(nodeDir(home, od.name), 'node.pid');
  fs.writeFileSync(pidFile, `${process.pid}\n`);
  logger.info(
    { port, operationsPort: ops.port, channel: net.channel, height: store.height() },
    'orderer ready',
  );
  return {
    port,
    operationsPort: ops.port,
    registrar,
    stop: () => shutdown(server, port, registrar, ops, pidFile),
  };
}

/** Appends the genesis block to an empty store (block 0 as is), after checking it is for `channelId`. */
async function bootstrapIfEmpty(
  store: BlockStore,
  genesisBlockPath: string,
  channelId: string,
): Promise<void> {
  if (store.height() > 0) {
    logger.info({ channel: channelId, height: store.height() }, 'resuming channel from its block store');
    return;
  }
  let genesis: common.Block;
  try {
    genesis = common.Block.deserializeBinary(fs.readFileSync(genesisBlockPath));
  } catch (err) {
    throw new Error(`cannot read the genesis block ${genesisBlockPath}: ${(err as Error).message}`);
  }
  if (genesis.getHeader()?.getNumber() !== 0) {
    throw new Error(`${genesisBlockPath} is block ${genesis.getHeader()?.getNumber()}, not a genesis block`);
  }
  const bundle = Bundle.fromConfigBlock(genesis);
  if (bundle.channelId !== channelId) {
    throw new Error(
      `${genesisBlockPath} is the genesis block of channel '${bundle.channelId}', not '${channelId}'`,
    );
  }
  await store.append(genesis);
  logger.info({ channel: channelId }, 'bootstrapped channel from its genesis block');
}

/** The channel config from the last config block the chain names (fabric multichannel newLedgerResources). */
async function configBundle(store: BlockStore, channelId: string): Promise<Bundle> {
  const last = store.lastBlock()!;
  const index = last.getHeader()!.getNumber() === 0 ? 0 : getLastConfigIndexFromBlock(last);
  const configBlock = await store.getBlock(index);
  if (!configBlock)
    throw new Error(`channel ${channelId}: last config block ${index} is missing from the block store`);
  const bundle = Bundle.fromConfigBlock(configBlock);
  if (bundle.channelId !== channelId) {
    throw new Error(`block store holds channel '${bundle.channelId}', network.json names '${channelId}'`);
  }
  return bundle;
}

/** Rejects naming the channels whose chain stopped writing blocks. */
function consensusHealthy(registrar: Registrar): void {
  const failed = registrar.channels().filter((cs) => cs.chain.errored());
  if (failed.length > 0) {
    throw new Error(failed.map((cs) => `channel ${cs.channelId}: ${cs.chain.errored()!.message}`).join('; '));
  }
}

function bind(server: grpc.Server, address: string, creds: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, creds, (err, port) =>
      err ? reject(new Error(`cannot listen on ${address}: ${err.message}`)) : resolve(port),
    ),
  );
}

async function shutdown(
  server: grpc.Server,
  port: number,
  registrar: Registrar,
  ops: OperationsServer,
  pidFile: string,
): Promise<void> {
  logger.info('orderer shutting down');
  server.unbind(`127.0.0.1:${port}`); // no new connections
  await Promise.all(registrar.channels().map((cs) => cs.chain.halt())); // pending batch written and acknowledged
  await new Promise((resolve) => setImmediate(resolve)); // let those acknowledgements reach the streams
  await shutdownServer(server);
  await Promise.all(registrar.channels().map((cs) => cs.store.close()));
  await ops.close();
  fs.rmSync(pidFile, { force: true });
  logger.info('orderer stopped');
}

/** Process entry: `node devnet/dist/node/orderer.js` with DEVNET_HOME. */
async function main(): Promise<void> {
  const orderer = await startOrderer();
  let stopping = false;
  const onSignal = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'signal received');
    orderer.stop().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error({ err: err.message }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}

if (require.main === module) {
  main().catch((err: Error) => {
    logger.fatal({ err: err.message }, 'orderer failed to start');
    process.exit(1);
  });
}
