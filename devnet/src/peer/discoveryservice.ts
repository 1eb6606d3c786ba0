import * as fs from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import type { OrganizationDescriptor, PeerDescriptor } from '@govfabric/network-config';
// Not the package index: it would load the crypto generators, YAML and zod into every peer.
import { externalEndpointOf } from '@govfabric/network-config/dist/types';
import { DiscoveryService, Membership, registerDiscoveryService } from '../discovery';
import type { LifecycleCache } from '../lifecycle/cache';
import { advertisedChaincodes, chaincodeMetadata } from '../lifecycle/metadataprovider';
import type { SigningIdentity } from '../msp';
import type { Channel } from './channel';

/** What the peer hands to {@link registerDiscovery}. */
export interface DiscoveryResources {
  server: grpc.Server;
  channel: Channel;
  org: OrganizationDescriptor;
  peer: PeerDescriptor;
  signer: SigningIdentity;
  definitions: Pick<LifecycleCache, 'get' | 'all'>;
}

/**
 * Serves Fabric's `discovery.Discovery/Discover` on the peer (internal/peer/node start.go
 * createDiscoveryService) and devnet's membership exchange that stands in for gossip: the peer
 * advertises its external endpoint (`<peer name>:<port>`), its committed height and the chaincodes its org approved and it has
 * installed; other peers are the channel's anchor peers, asked at query time. Returns the close function.
 */
export function registerDiscovery(r: DiscoveryResources): { close(): void } {
  const { channel, peer } = r;
  const membership = new Membership({
    signer: r.signer,
    endpoint: externalEndpointOf(peer),
    listenAddresses: [`${peer.host}:${peer.port}`, `${peer.name}:${peer.port}`],
    local: {
      channelId: channel.channelId,
      ledgerHeight: () => channel.store.height(),
      chaincodes: () => advertisedChaincodes(r.definitions),
    },
    bundle: () => channel.bundle,
    clientTls: { certPem: fs.readFileSync(peer.tls.certPath), keyPem: fs.readFileSync(peer.tls.keyPath) },
  });
  membership.register(r.server);
  const joined = (id: string) => (id === channel.channelId ? channel.bundle : undefined);
  registerDiscoveryService(
    r.server,
    new DiscoveryService({
      localMspId: r.org.mspId,
      bundle: joined,
      localBundle: () => channel.bundle,
      peersOfChannel: () => membership.peersOfChannel(),
      metadata: (id, cc, collections) => {
        const bundle = joined(id);
        return bundle ? chaincodeMetadata(bundle, r.definitions, cc, collections) : undefined;
      },
    }),
  );
  return { close: () => membership.close() };
}
