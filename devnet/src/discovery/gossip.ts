import * as grpc from '@grpc/grpc-js';
import { discovery } from '@hyperledger/fabric-protos';
import type { Bundle } from '../channelconfig';
import { clientOptions } from '../common/grpc';
import { getLogger } from '../common/logging';
import { channelMspConfigs } from './config';
import {
  noopSigned,
  selfMember,
  verifiedMember,
  type AdvertisedChaincode,
  type MemberSigner,
  type NetworkMember,
} from './member';

const logger = getLogger('discovery.gossip');

/**
 * devnet's stand-in for gossip membership: `/devnet.Membership/StateInfo` answers a
 * discovery.Query naming a channel with a discovery.Peer of the answering peer (its identity, its
 * alive message and its state info for that channel, both signed by it). Internal to devnet.
 */
export const STATE_INFO_METHOD = '/devnet.Membership/StateInfo';

/** How long an answer (or a failure) of another peer is reused: gossip's view is not instant either. */
const FRESH_MS = 500;
/** A peer that does not answer within this is not alive (gossip would expire it). */
const DEADLINE_MS = 2000;

const passThrough = (b: Buffer): Buffer => b;

/** What this peer knows of itself on its channel. */
export interface LocalState {
  channelId: string;
  ledgerHeight(): number;
  /** Chaincodes defined on the channel, approved by this org and installed here (and `_lifecycle`). */
  chaincodes(): AdvertisedChaincode[];
}

/** Construction options of {@link Membership}. */
export interface MembershipOptions {
  signer: MemberSigner;
  /** The endpoint this peer advertises, e.g. `peer0.immigration.egov.local:7051`. */
  endpoint: string;
  /** The address this peer listens on (`host:port`), to skip itself among the anchor peers. */
  listenAddresses: string[];
  local: LocalState;
  bundle: () => Bundle;
  /** This peer's TLS key pair, presented to other peers. */
  clientTls?: { certPem: Buffer; keyPem: Buffer };
}

interface Cached {
  at: number;
  member?: Promise<NetworkMember | undefined>;
}

/**
 * The peers of the channel as this peer's discovery service sees them (fabric gossip's membership
 * and state info views). devnet has no gossip: the other peers are the channel config's anchor peers,
 * each asked for its own signed alive message and state info (height, chaincodes); a peer that does
 * not answer is left out, as gossip leaves out a peer whose alive messages stopped.
 */
export class Membership {
  /** One client per anchor address, made with the TLS roots of the config sequence it was made at. */
  private readonly clients = new Map<string, { client: grpc.Client; sequence: number }>();
  private readonly cache = new Map<string, Cached>();
  private readonly incNum = Date.now() * 1e6;
  private seqNum = 0;

  constructor(private readonly opts: MembershipOptions) {}

  /** This peer, with its state info for the channel when `withChannel`. */
  self(withChannel: boolean): NetworkMember {
    const { local } = this.opts;
    return selfMember(this.opts.signer, {
      endpoint: this.opts.endpoint,
      incNum: this.incNum,
      seqNum: ++this.seqNum,
      channel: withChannel
        ? { id: local.channelId, ledgerHeight: local.ledgerHeight(), chaincodes: local.chaincodes() }
        : undefined,
    });
  }

  /**
   * Every alive peer of the channel, this one first, each with its state info. This peer's own alive
   * message is unsigned, as gossip's Self() gives it (NoopSign); the others' carry their signatures.
   */
  async peersOfChannel(): Promise<NetworkMember[]> {
    const others = await Promise.all(this.anchorAddresses().map((a) => this.remote(a.address, a.mspId)));
    const seen = new Set<string>();
    const out: NetworkMember[] = [];
    const self = this.self(true);
    for (const m of [{ ...self, alive: noopSigned(self.alive) }, ...others]) {
      if (!m || seen.has(m.pkiId.toString('hex'))) continue;
      seen.add(m.pkiId.toString('hex'));
      out.push(m);
    }
    return out;
  }

  /** Adds the state info method to the peer's server. */
  register(server: grpc.Server): void {
    server.register(
      STATE_INFO_METHOD,
      (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        try {
          const query = discovery.Query.deserializeBinary(call.request);
          if (query.getChannel() !== this.opts.local.channelId) {
            callback({ code: grpc.status.NOT_FOUND, details: `channel ${query.getChannel()} not joined` });
            return;
          }
          const me = this.self(true);
          const answer = new discovery.Peer();
          answer.setIdentity(me.identity);
          answer.setMembershipInfo(me.alive);
          if (me.stateInfo) answer.setStateInfo(me.stateInfo);
          callback(null, Buffer.from(answer.serializeBinary()));
        } catch (err) {
          callback({ code: grpc.status.INVALID_ARGUMENT, details: (err as Error).message });
        }
      },
      passThrough,
      passThrough,
      'unary',
    );
  }

  /** Closes the clients of other peers. */
  close(): void {
    for (const c of this.clients.values()) c.client.close();
    this.clients.clear();
  }

  private anchorAddresses(): { address: string; mspId: string }[] {
    const own = new Set(this.opts.listenAddresses);
    return this.opts
      .bundle()
      .anchorPeerAddresses()
      .map((a) => ({ address: `${a.host}:${a.port}`, mspId: a.mspId }))
      .filter((a) => !own.has(a.address));
  }

  private remote(address: string, mspId: string): Promise<NetworkMember | undefined> {
    const cached = this.cache.get(address);
    if (cached?.member && Date.now() - cached.at < FRESH_MS) return cached.member;
    const member = this.ask(address, mspId);
    this.cache.set(address, { at: Date.now(), member });
    return member;
  }

  private async ask(address: string, mspId: string): Promise<NetworkMember | undefined> {
    try {
      const query = new discovery.Query();
      query.setChannel(this.opts.local.channelId);
      const client = this.client(address, mspId);
      const bytes = await new Promise<Buffer>((resolve, reject) =>
        client.makeUnaryRequest(
          STATE_INFO_METHOD,
          passThrough,
          passThrough,
          Buffer.from(query.serializeBinary()),
          { deadline: Date.now() + DEADLINE_MS },
          (err, res) => (err || !res ? reject(err ?? new Error('empty answer')) : resolve(res)),
        ),
      );
      const peer = discovery.Peer.deserializeBinary(bytes);
      const alive = peer.getMembershipInfo();
      if (!alive) throw new Error('the answer has no alive message');
      const bundle = this.opts.bundle();
      return verifiedMember(
        { identity: peer.getIdentity_asU8(), alive, stateInfo: peer.getStateInfo() },
        this.opts.local.channelId,
        (identity) => {
          const id = bundle.msps.deserializeIdentity(identity);
          if (id.mspId !== mspId) throw new Error(`anchor peer of ${mspId} answered as ${id.mspId}`);
          return id;
        },
      );
    } catch (err) {
      logger.debug({ address, err: (err as Error).message }, 'peer left out of membership');
      return undefined;
    }
  }

  /** A client of `address`, trusting `mspId`'s TLS CAs of the current config (renewed after a config update). */
  private client(address: string, mspId: string): grpc.Client {
    const bundle = this.opts.bundle();
    const known = this.clients.get(address);
    if (known && known.sequence === bundle.sequence) return known.client;
    known?.client.close();
    const msp = channelMspConfigs(bundle.config).get(mspId);
    const roots = [
      ...(msp?.getTlsRootCertsList_asU8() ?? []),
      ...(msp?.getTlsIntermediateCertsList_asU8() ?? []),
    ];
    const credentials = grpc.credentials.createSsl(
      Buffer.concat(roots.flatMap((c) => [Buffer.from(c), Buffer.from('\n')])),
      this.opts.clientTls?.keyPem ?? null,
      this.opts.clientTls?.certPem ?? null,
    );
    const client = new grpc.Client(address, credentials, clientOptions());
    this.clients.set(address, { client, sequence: bundle.sequence });
    return client;
  }
}
