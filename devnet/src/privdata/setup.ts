import * as path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { NetworkDescriptor, OrganizationDescriptor, PeerDescriptor } from '@govfabric/network-config';
import { clientCredentials, clientOptions } from '../common/grpc';
import { PvtDataStore } from '../ledger/pvtdatastorage/pvtdatastore';
import type { StateDB } from '../ledger/statedb';
import { newSignaturePolicy } from '../policies/cauthdsl';
import { TransientStore } from '../transientstore';
import { KeyLevelValidationParameterManager } from '../validator/statebased';
import type { CollectionConfigJson } from './collections';
import { PrivateDataCoordinator } from './coordinator';
import { PeerPrivateData } from './peerprivatedata';
import { CollectionResolver } from './resolver';
import { registerPrivateDataService } from './service';

/** The channel parts private data needs (peer/ Channel satisfies it). */
export interface PrivateDataChannel {
  channelId: string;
  bundle: {
    applicationOrgs: { mspId: string; name?: string }[];
    msps: Parameters<typeof newSignaturePolicy>[1] & {
      deserializeIdentity(id: Uint8Array): { mspId: string; verify(m: Uint8Array, s: Uint8Array): boolean };
    };
    policies: {
      getPolicy(
        path: string,
      ):
        | { evaluate(sd: { data: Uint8Array; identity: Uint8Array; signature: Uint8Array }[]): void }
        | undefined;
    };
  };
  store: { height(): number };
}

/** Everything a peer wires for private data and state-based endorsement on its channel. */
export interface PeerPrivateDataSetup {
  resolver: CollectionResolver;
  /** The private data store (committed private write sets; DeliverWithPrivateData reads it). */
  store: PvtDataStore;
  coordinator: PrivateDataCoordinator;
  peerPrivateData: PeerPrivateData;
  keyLevel: KeyLevelValidationParameterManager;
  /** Registers devnet.PrivateData on the peer's gRPC server. */
  register(server: grpc.Server): void;
  close(): Promise<void>;
}

/** Options of {@link setupPeerPrivateData}. */
export interface SetupOptions {
  /** The peer's ledger directory; the private data store goes to `<ledgerDir>/pvtdatastore`. */
  ledgerDir: string;
  network: NetworkDescriptor;
  org: OrganizationDescriptor;
  peer: PeerDescriptor;
  state: StateDB;
  /** Read on every use: the channel (config bundle may change). */
  channel: () => PrivateDataChannel;
  /** The chaincode definition's collections config (undefined definition = chaincode not defined). */
  definition: (name: string) => { collections?: CollectionConfigJson[] } | undefined;
  signer: { serialize(): Uint8Array; sign(message: Uint8Array): Uint8Array };
}

/**
 * Opens the private data store and builds the collection resolver, transient store, coordinator,
 * peer-to-peer distribution and the key-level validation parameter manager of one peer.
 */
export async function setupPeerPrivateData(o: SetupOptions): Promise<PeerPrivateDataSetup> {
  const store = await PvtDataStore.open(path.join(o.ledgerDir, 'pvtdatastore'));
  const resolver = new CollectionResolver({
    localMspId: o.org.mspId,
    bundle: () => o.channel().bundle,
    collectionsConfig: (name) => {
      const def = o.definition(name);
      return def ? { defined: true, collections: def.collections } : { defined: false };
    },
  });
  const peerPrivateData = new PeerPrivateData({
    channelId: o.network.channel,
    localMspId: o.org.mspId,
    resolver,
    get coordinator() {
      return coordinator;
    },
    peers: o.network.organizations.flatMap((org) =>
      org.peers
        .filter((p) => p.name !== o.peer.name)
        .map((p) => ({
          name: p.name,
          mspId: org.mspId,
          address: `${p.host}:${p.port}`,
          credentials: clientCredentials(org.tlsCaCertPath, {
            certPath: o.peer.tls.certPath,
            keyPath: o.peer.tls.keyPath,
          }),
          options: clientOptions(p.name),
        })),
    ),
    signer: o.signer,
    deserialize: (id) => o.channel().bundle.msps.deserializeIdentity(id),
    height: () => o.channel().store.height(),
  });
  const coordinator: PrivateDataCoordinator = new PrivateDataCoordinator({
    resolver,
    transient: new TransientStore(),
    store,
    state: o.state,
    fetcher: peerPrivateData,
  });
  const keyLevel = new KeyLevelValidationParameterManager({
    state: o.state,
    newPolicy: (envelope) =>
      newSignaturePolicy(envelope, o.channel().bundle.msps, 'key-level validation parameter'),
  });
  return {
    resolver,
    store,
    coordinator,
    peerPrivateData,
    keyLevel,
    register: (server) => registerPrivateDataService(server, peerPrivateData.handlers()),
    close: async () => {
      peerPrivateData.close();
      await store.close();
    },
  };
}
