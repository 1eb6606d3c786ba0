import { getLogger } from '../common/logging';
import type {
  EndorserFactory,
  GatewayChannel,
  GatewayDeps,
  GatewayIdentity,
  ProposalEndorser,
  RemoteEndorser,
} from './deps';

const logger = getLogger('gateway.registry');

/** One peer the gateway can send proposals to (fabric gateway `endorser` + endpointConfig). */
export interface GatewayEndorser {
  mspId: string;
  /** `host:port`, reported in ErrorDetail.address. */
  address: string;
  client: ProposalEndorser;
  /** This peer's own endorser (its rejections are client errors, not connection failures). */
  local: boolean;
}

/**
 * Whether the channel's peers can run the chaincode (fabric registry.hasChaincode). Fabric's peers advertise
 * over gossip the chaincodes they have installed and defined; devnet's peers share the channel's `_lifecycle`
 * state, so a chaincode defined on the channel, or a system chaincode, is one every peer offers.
 */
export function hasChaincode(deps: GatewayDeps, channelId: string, chaincodeName: string): boolean {
  return (
    deps.isSysCC?.(chaincodeName) === true ||
    deps.getChaincodeDefinition(channelId, chaincodeName) !== undefined
  );
}

/**
 * The peers of a channel by organization, with one cached client per remote peer (fabric registry.go). Fabric
 * learns them from gossip discovery; devnet reads the channel config: each application org's anchor peers, and
 * for this peer's own org only this peer (the local endorser, called in-process).
 */
export class Registry {
  private readonly remote = new Map<string, RemoteEndorser>();
  private readonly localEndorser: GatewayEndorser;
  /** The identity an org's peer last endorsed with (Fabric's discovery knows peers' identities from gossip). */
  private readonly endorserIdentities = new Map<string, GatewayIdentity>();
  /**
   * {@link endorsersByOrg} and {@link evaluator} (all orgs) by the channel config's org list (a new config is a new
   * list), until a remote peer's client is dropped: building them on every Endorse and Evaluate was 1 % of the
   * gateway peer's busy time per read.
   */
  private byOrgCache = new WeakMap<object, Map<string, GatewayEndorser[]>>();
  private evaluatorCache = new WeakMap<object, GatewayEndorser[]>();

  /**
   * @param local - this peer: its endorser, MSP id and address.
   * @param newEndorser - creates clients for other organizations' peers.
   */
  constructor(
    local: { endorser: ProposalEndorser; mspId: string; address: string },
    private readonly newEndorser: EndorserFactory,
  ) {
    this.localEndorser = { mspId: local.mspId, address: local.address, client: local.endorser, local: true };
  }

  /** Remembers the identity `mspId`'s peer endorsed with, for planning later endorsements. */
  rememberEndorserIdentity(identity: GatewayIdentity): void {
    this.endorserIdentities.set(identity.mspId, identity);
  }

  /** The identity `mspId`'s peer endorsed with last, if it has endorsed through this gateway. */
  endorserIdentity(mspId: string): GatewayIdentity | undefined {
    return this.endorserIdentities.get(mspId);
  }

  /** This peer's organization. */
  get localMspId(): string {
    return this.localEndorser.mspId;
  }

  /**
   * The channel's endorsing peers grouped by MSP id, in channel-config order; this peer's org holds only itself.
   * Shared between calls: not to be changed.
   */
  endorsersByOrg(channel: GatewayChannel): ReadonlyMap<string, GatewayEndorser[]> {
    const orgs = channel.bundle.applicationOrgs;
    let byOrg = this.byOrgCache.get(orgs);
    if (byOrg === undefined) {
      byOrg = this.newEndorsersByOrg(channel);
      this.byOrgCache.set(orgs, byOrg);
    }
    return byOrg;
  }

  private newEndorsersByOrg(channel: GatewayChannel): Map<string, GatewayEndorser[]> {
    const byOrg = new Map<string, GatewayEndorser[]>();
    for (const org of channel.bundle.applicationOrgs) {
      if (org.mspId === this.localEndorser.mspId) {
        byOrg.set(org.mspId, [this.localEndorser]);
        continue;
      }
      const endorsers = org.anchorPeers.map((anchor) =>
        this.remoteEndorser(org.mspId, anchor.host, anchor.port),
      );
      if (endorsers.length > 0) byOrg.set(org.mspId, endorsers);
    }
    return byOrg;
  }

  /**
   * The peers to evaluate on, in the order to try them: this peer's org first, then the others
   * (fabric registry.evaluator). `targetOrgs` restricts the orgs (transient data); empty means all.
   */
  evaluator(channel: GatewayChannel, targetOrgs: string[]): readonly GatewayEndorser[] {
    if (targetOrgs.length > 0) return this.newEvaluator(channel, targetOrgs);
    const orgs = channel.bundle.applicationOrgs;
    let endorsers = this.evaluatorCache.get(orgs);
    if (endorsers === undefined) {
      endorsers = this.newEvaluator(channel, targetOrgs);
      this.evaluatorCache.set(orgs, endorsers);
    }
    return endorsers;
  }

  private newEvaluator(channel: GatewayChannel, targetOrgs: string[]): GatewayEndorser[] {
    const byOrg = this.endorsersByOrg(channel);
    const orgs = targetOrgs.length > 0 ? targetOrgs : [...byOrg.keys()];
    const local = orgs.includes(this.localMspId) ? (byOrg.get(this.localMspId) ?? []) : [];
    const others = orgs.filter((org) => org !== this.localMspId).flatMap((org) => byOrg.get(org) ?? []);
    return [...local, ...others];
  }

  /** Forgets a remote peer's client after a connection failure, so the next request dials it afresh. */
  removeEndorser(endorser: GatewayEndorser): void {
    if (endorser.local) return;
    const client = this.remote.get(endorser.address);
    if (!client) return;
    this.remote.delete(endorser.address);
    this.byOrgCache = new WeakMap();
    this.evaluatorCache = new WeakMap();
    client.close();
    logger.info(
      { address: endorser.address, mspId: endorser.mspId },
      'removed endorser after connection failure',
    );
  }

  /** Closes every remote client. */
  close(): void {
    for (const client of this.remote.values()) client.close();
    this.remote.clear();
  }

  private remoteEndorser(mspId: string, host: string, port: number): GatewayEndorser {
    const address = `${host}:${port}`;
    let client = this.remote.get(address);
    if (!client) {
      client = this.newEndorser({ mspId, host, port });
      this.remote.set(address, client);
      logger.info({ address, mspId }, 'added endorser to registry');
    }
    // Reported by the peer's configured endpoint (its name), as Fabric's gateway names endorsers in details.
    return { mspId, address: client.address, client, local: false };
  }
}
