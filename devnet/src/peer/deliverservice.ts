import * as grpc from '@grpc/grpc-js';
import { common, peer } from '@hyperledger/fabric-protos';
import { handleDeliver, DeliverSupport } from '../common/deliver';
import type { Channel } from './channel';
import { blockPrivateDataSource, type BlockPrivateDataSources } from './deliverpvtdata';

/** Fabric's default policy of the block-event ACLs (event/Block, event/FilteredBlock). */
export const PEER_DELIVER_READERS_POLICY = '/Channel/Application/Readers';

/** Fabric's ACL resources of the Deliver service (core/aclmgmt/resources). */
export type DeliverAclResource = 'event/Block' | 'event/FilteredBlock';

/**
 * The policy guarding an ACL resource: the channel config's Application ACLs value if it names one (a relative
 * name means `/Channel/Application/<name>`, as fabric channelconfig/acls.go), else Fabric's default.
 */
export function aclPolicyRef(
  acls: ReadonlyMap<string, string> | undefined,
  resource: DeliverAclResource,
): string {
  const ref = acls?.get(resource);
  if (!ref) return PEER_DELIVER_READERS_POLICY;
  return ref.startsWith('/') ? ref : `/Channel/Application/${ref}`;
}

/**
 * The deliver support of a joined channel: its store and current policies, under the ACL of `resource`;
 * with `privateData`, DeliverWithPrivateData sends the private data the client is eligible for.
 */
export function deliverSupport(
  channel: Channel,
  resource: DeliverAclResource = 'event/Block',
  privateData?: BlockPrivateDataSources,
): DeliverSupport {
  return {
    channelId: channel.channelId,
    store: channel.store,
    // A getter object so a config update (a new Bundle) is seen by running sessions.
    policies: { getPolicy: (p: string) => channel.bundle.policies.getPolicy(p) },
    readersPolicy: aclPolicyRef(channel.bundle.acls, resource),
    msps: channel.bundle.msps,
    privateData: privateData ? blockPrivateDataSource(privateData) : undefined,
  };
}

type DeliverStream<Res> = grpc.ServerDuplexStream<common.Envelope, Res>;

/**
 * Adds the peer's `protos.Deliver` service (fabric core/peer/deliverevents.go): Deliver (full blocks, with
 * TRANSACTIONS_FILTER), DeliverFiltered (FilteredBlock) and DeliverWithPrivateData (BlockAndPrivateData), each
 * served by common/deliver over the channel named in the request (NOT_FOUND for a channel the peer has not
 * joined), under the channel's Application Readers policy. `getPrivateData` gives a channel's private data
 * store and collections (without it, blocks go with an empty private data map).
 */
export function registerDeliverService(
  server: grpc.Server,
  getChannel: (channelId: string) => Channel | undefined,
  getPrivateData?: (channelId: string) => BlockPrivateDataSources | undefined,
): void {
  const lookup = (channelId: string): DeliverSupport | undefined => {
    const channel = getChannel(channelId);
    return channel ? deliverSupport(channel, 'event/Block', getPrivateData?.(channelId)) : undefined;
  };
  server.addService(peer.DeliverService, {
    deliver: (call: DeliverStream<peer.DeliverResponse>) => handleDeliver(call, lookup, 'full'),
    deliverFiltered: (call: DeliverStream<peer.DeliverResponse>) => handleDeliver(call, lookup, 'filtered'),
    deliverWithPrivateData: (call: DeliverStream<peer.DeliverResponse>) =>
      handleDeliver(call, lookup, 'private'),
  });
}
