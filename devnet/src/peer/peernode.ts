import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { peer as peerProto } from '@hyperledger/fabric-protos';
import type { NetworkDescriptor, OrganizationDescriptor, PeerDescriptor } from '@govfabric/network-config';
import { getLogger } from '../common/logging';
import {
  clientCredentials,
  clientOptions,
  serverCredentials,
  newServer,
  nodeCertificatesOf,
  shutdownServer,
} from '../common/grpc';
import { ChaincodeSupport, type ChaincodeRuntimeParams } from '../chaincode';
import { Bundle } from '../channelconfig';
import { DeliverClient, LedgerCommitter } from '../committer';
import { BlockStore } from '../ledger/blockstore';
import { StateDB } from '../ledger/statedb';
import { HistoryDB } from '../ledger/history';
import { recordBlockCommitted, setBlockchainHeight } from '../metrics';
import { SigningIdentity } from '../msp';
import { newSignaturePolicy } from '../policies';
import { LifecycleCache } from '../lifecycle/cache';
import { ChaincodeStore } from '../lifecycle/chaincodestore';
import { lifecycleCollectionPolicy } from '../lifecycle/implicitpolicy';
import { PrivateCopy } from '../lifecycle/privatecopy';
import { SystemChaincodes } from '../scc';
import { isConfigBlock } from '../protoutil/blockutils';
import { setupPeerPrivateData, type PeerPrivateData, type PeerPrivateDataSetup } from '../privdata';
import { noKeyLevelPolicies, TxValidator, txmgrStateSupport } from '../validator';
import { Channel } from './channel';
import { registerDeliverService } from './deliverservice';
import { registerDiscovery } from './discoveryservice';
import { ProposalProcessor, registerEndorserService } from './endorserservice';
import { bundleFromLedger, readGenesisBlock } from './joinchannel';

const logger = getLogger('peer');

/** What the peer hands to the endorser factory. */
export interface EndorserResources {
  channel: Channel;
  /** The channel's private data (collections, distribution); the endorser's `privateData` dependency. */
  privateData?: PeerPrivateData;
  chaincodeSupport: ChaincodeSupport;
  signer: SigningIdentity;
  /** `_lifecycle`, qscc and cscc, for the endorser to run in the peer. */
  systemChaincodes?: SystemChaincodes;
}

/** What the peer hands to the gateway factory (the gateway registers itself on the server). */
export interface GatewayResources extends EndorserResources {
  server: grpc.Server;
  network: NetworkDescriptor;
  org: OrganizationDescriptor;
  peer: PeerDescriptor;
  endorser: ProposalProcessor;
}

/** Construction options of {@link PeerNode}. */
export interface PeerNodeOptions {
  home: string;
  /** The peer's own folder (Fabric's `peer.fileSystemPath`): its ledger and lifecycle live under it. */
  fileSystemPath: string;
  network: NetworkDescriptor;
  /** e.g. `peer0.immigration.egov.local`. */
  peerName: string;
  /** Builds the local endorser (endorser/ Endorser). */
  newEndorser: (r: EndorserResources) => ProposalProcessor;
  /** Registers the gateway.Gateway service; returns its close function. Optional until the gateway is wired. */
  registerGateway?: (r: GatewayResources) => { close(): void };
  /** chaincode.runtimeParams (Fabric 3.1): batched chaincode requests offered in READY; none by default. */
  chaincodeRuntimeParams?: ChaincodeRuntimeParams;
}

/** A peer's descriptor and its organization in network.json; throws naming the unknown peer. */
export function findPeer(
  network: NetworkDescriptor,
  peerName: string,
): { org: OrganizationDescriptor; peer: PeerDescriptor } {
  for (const org of network.organizations) {
    const peer = org.peers.find((p) => p.name === peerName);
    if (peer) return { org, peer };
  }
  const known = network.organizations.flatMap((o) => o.peers.map((p) => p.name)).join(', ');
  throw new Error(`peer ${peerName} is not in network.json (peers: ${known})`);
}

/**
 * One running peer (fabric internal/peer/node start.go): ledger (block store + state), the channel joined from
 * the genesis block or resumed, chaincode support, the Endorser, Deliver and Gateway services on one TLS gRPC
 * server, and the committer pulling blocks from the orderer.
 */
export class PeerNode {
  channel!: Channel;
  private store!: BlockStore;
  private state!: StateDB;
  private history!: HistoryDB;
  private committer!: LedgerCommitter;
  private pvt?: PeerPrivateDataSetup;
  private deliverClient!: DeliverClient;
  private chaincodeSupport!: ChaincodeSupport;
  private lifecycleCache: LifecycleCache | undefined;
  private server!: grpc.Server;
  private gateway: { close(): void } | undefined;
  private discovery: { close(): void } | undefined;
  /** The port the gRPC server listens on. */
  port = 0;

  constructor(private readonly opts: PeerNodeOptions) {}

  /** True while the deliver client has an open stream to the orderer. */
  get ordererConnected(): boolean {
    return this.deliverClient?.connected ?? false;
  }

  /** Throws when the ledger cannot take more blocks (a failed state update) or is not open. */
  checkLedger(): void {
    if (!this.committer) throw new Error('ledger not open');
    if (this.committer.failure) throw this.committer.failure;
  }

  /** Opens the ledger, joins or resumes the channel, starts the services and the committer. */
  async start(): Promise<void> {
    const { network, peerName, home, fileSystemPath } = this.opts;
    const { org, peer } = findPeer(network, peerName);
    const signer = SigningIdentity.fromMSPDir(peer.mspDir, org.mspId);
    await this.openLedger(path.join(fileSystemPath, 'ledger'), network);
    const lifecycle = await this.openLifecycle(
      path.join(fileSystemPath, 'lifecycle'),
      network.channel,
      org.mspId,
    );
    this.chaincodeSupport = new ChaincodeSupport({
      home,
      peerName,
      history: this.history,
      definitions: lifecycle.cache,
      runtimeParams: this.opts.chaincodeRuntimeParams,
    });
    const definitions = (name: string) => this.chaincodeSupport.definition(name);
    this.pvt = await setupPeerPrivateData({
      ledgerDir: path.join(fileSystemPath, 'ledger'),
      network,
      org,
      peer,
      state: this.state,
      channel: () => this.channel,
      definition: definitions,
      signer,
    });
    await this.joinOrResume(network, definitions);
    // Definitions come from `_lifecycle` in the world state: reloaded after each block that changed it.
    this.channel.onCommit((block, filter) => lifecycle.cache.onCommit(block, filter));
    await lifecycle.cache.reload();
    const systemChaincodes = new SystemChaincodes({
      mspId: org.mspId,
      channels: () => [this.channel],
      store: lifecycle.store,
      privateCopy: lifecycle.privateCopy,
      cache: (id) => (id === this.channel.channelId ? lifecycle.cache : undefined),
      privateData: (id) => (id === this.channel.channelId ? this.pvt?.peerPrivateData : undefined),
    });
    const resources = {
      channel: this.channel,
      chaincodeSupport: this.chaincodeSupport,
      signer,
      systemChaincodes,
      privateData: this.pvt.peerPrivateData,
    };
    const endorser = this.opts.newEndorser(resources);
    this.server = newServer({}, nodeCertificatesOf(network));
    registerEndorserService(this.server, endorser);
    this.pvt.register(this.server);
    registerDeliverService(
      this.server,
      (id) => (id === this.channel.channelId ? this.channel : undefined),
      (id) => (id === this.channel.channelId ? this.pvt : undefined),
    );
    this.discovery = registerDiscovery({
      server: this.server,
      channel: this.channel,
      org,
      peer,
      signer,
      definitions: lifecycle.cache,
    });
    this.gateway = this.opts.registerGateway?.({
      ...resources,
      server: this.server,
      network,
      org,
      peer,
      endorser,
    });
    this.port = await this.bind(peer);
    this.startDeliverClient(network, peer, signer);
    logger.info(
      { port: this.port, channel: this.channel.channelId, height: this.store.height() },
      'peer started',
    );
  }

  /** Stops serving and pulling blocks, then closes the ledger. */
  async stop(): Promise<void> {
    if (this.server) await shutdownServer(this.server);
    await this.deliverClient?.stop();
    this.gateway?.close();
    this.discovery?.close();
    await this.pvt?.close();
    await this.chaincodeSupport?.close();
    await Promise.allSettled([this.store?.close(), this.state?.close(), this.history?.close()]);
    logger.info('peer stopped');
  }

  /** The peer's installed packages, its org's private `_lifecycle` values and the definitions cache. */
  private async openLifecycle(
    dir: string,
    channelId: string,
    mspId: string,
  ): Promise<{ store: ChaincodeStore; privateCopy: PrivateCopy; cache: LifecycleCache }> {
    const store = await ChaincodeStore.open(path.join(dir, 'chaincodes'));
    const privateCopy = PrivateCopy.open(dir, this.state);
    this.lifecycleCache = new LifecycleCache({ channelId, state: this.state, mspId, store, privateCopy });
    // Recovery re-validates blocks above the savepoint with the definitions committed so far.
    await this.lifecycleCache.reload();
    return { store, privateCopy, cache: this.lifecycleCache };
  }

  private async openLedger(dir: string, network: NetworkDescriptor): Promise<void> {
    this.store = await BlockStore.open(path.join(dir, 'blockstore'), { channelId: network.channel });
    this.state = await StateDB.open(path.join(dir, 'statedb'));
    this.history = await HistoryDB.open(path.join(dir, 'historydb'));
  }

  private async joinOrResume(
    network: NetworkDescriptor,
    definitions: (name: string) => ReturnType<ChaincodeSupport['definition']>,
  ): Promise<void> {
    const joining = this.store.height() === 0;
    const genesis = joining ? readGenesisBlock(network.genesisBlockPath, network.channel) : undefined;
    const bundle = genesis ? genesis.bundle : await bundleFromLedger(this.store);
    this.channel = new Channel({ bundle, store: this.store, state: this.state, definitions });
    const validator = new TxValidator({
      channelId: bundle.channelId,
      resources: () => ({
        msps: this.channel.bundle.msps,
        policies: this.channel.bundle.policies,
        config: this.channel.bundle.config,
        definition: (name) => this.channel.definitions(name),
        keyLevel: this.pvt?.keyLevel ?? noKeyLevelPolicies,
        collectionPolicy: (cc, coll) =>
          cc === '_lifecycle'
            ? lifecycleCollectionPolicy(this.channel.bundle, cc, coll)
            : this.pvt?.resolver.collectionPolicy(cc, coll),
        signaturePolicy: (envelope) => newSignaturePolicy(envelope, this.channel.bundle.msps),
      }),
      txIdExists: async (txId) => (await this.store.getTxLocation(txId)) !== undefined,
    });
    this.committer = new LedgerCommitter({
      channelId: bundle.channelId,
      store: this.store,
      state: this.state,
      validator,
      stateSupport: txmgrStateSupport(this.state),
      history: this.history,
      metrics: {
        blockCommitted: (block, filter, seconds) =>
          recordBlockCommitted(bundle.channelId, block, filter, seconds),
      },
      onCommitted: (c) => {
        // A valid config block replaces the channel's Bundle (MSPs with their CRLs, policies, orderer
        // settings) before anything else reads it: the next block is validated under the new config.
        if (
          c.block.getHeader()!.getNumber() > 0 &&
          c.filter[0] === peerProto.TxValidationCode.VALID &&
          isConfigBlock(c.block)
        ) {
          this.channel.bundle = Bundle.fromConfigBlock(c.block);
          logger.info(
            {
              channel: this.channel.channelId,
              block: c.block.getHeader()!.getNumber(),
              sequence: this.channel.bundle.sequence,
            },
            'applied channel config update',
          );
        }
        this.channel.committed(c);
      },
      privateData: this.pvt?.coordinator,
    });
    if (genesis) await this.committer.commitGenesis(genesis.block);
    else await this.committer.recover();
    setBlockchainHeight(bundle.channelId, this.store.height());
  }

  private bind(peer: PeerDescriptor): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.bindAsync(`127.0.0.1:${peer.port}`, serverCredentials(peer.tls), (err, port) =>
        err ? reject(new Error(`cannot listen on 127.0.0.1:${peer.port}: ${err.message}`)) : resolve(port),
      ),
    );
  }

  private startDeliverClient(
    network: NetworkDescriptor,
    peer: PeerDescriptor,
    signer: SigningIdentity,
  ): void {
    const o = network.orderer;
    this.deliverClient = new DeliverClient({
      channelId: this.channel.channelId,
      address: `${o.host}:${o.port}`,
      credentials: clientCredentials(o.tlsCaCertPath, {
        certPath: peer.tls.certPath,
        keyPath: peer.tls.keyPath,
      }),
      channelOptions: clientOptions(o.name),
      signer,
      lastHeader: () => this.store.lastBlock()!.getHeader()!,
      policies: () => this.channel.bundle.policies,
      // A block is validated with the definitions of the blocks before it: wait for their reload.
      onBlock: async (block) => {
        await this.lifecycleCache?.settled();
        return this.committer.commitBlock(block);
      },
    });
    this.deliverClient.start();
  }
}
