import type * as grpc from '@grpc/grpc-js';
import { ledger } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import type { StateDB } from '../ledger/statedb';
import type { TxSimulator } from '../ledger/txmgr';
import type { UnpackedProposal } from '../protoutil';
import type { Collection } from './collections';
import type { PrivateDataCoordinator, PvtDataFetcher, WantedCollection } from './coordinator';
import { PvtTxSimulator } from './pvtsimulator';
import type { CollectionResolver } from './resolver';
import { PrivateDataClient, PrivateDataHandlers, PullBody, PushBody, SignedMessage } from './service';

const logger = getLogger('privdata');

/** Another peer of the channel that private data may go to or come from. */
export interface RemotePeer {
  name: string;
  mspId: string;
  address: string;
  credentials: grpc.ChannelCredentials;
  options: grpc.ChannelOptions;
}

/** Construction options of {@link PeerPrivateData}. */
export interface PeerPrivateDataOptions {
  channelId: string;
  localMspId: string;
  resolver: CollectionResolver;
  coordinator: PrivateDataCoordinator;
  /** Every other peer of the channel. */
  peers: RemotePeer[];
  /** The peer's identity: serialized, and a signer. */
  signer: { serialize(): Uint8Array; sign(message: Uint8Array): Uint8Array };
  /** Deserializes and checks an identity with the channel's current MSPs (throws if unknown). */
  deserialize(identity: Uint8Array): {
    mspId: string;
    verify(message: Uint8Array, signature: Uint8Array): boolean;
  };
  /** The ledger height (endorsedAt). */
  height(): number;
  /** Per-call timeout of push and pull, default 5 000 ms. */
  timeoutMs?: number;
}

/**
 * A peer's private data for one channel: builds the simulator that understands collections, distributes
 * an endorsement's private write set to member peers (Fabric's gossip distributor: requiredPeerCount must
 * acknowledge, up to maxPeerCount receive it) and keeps it in the transient store, serves and issues
 * devnet's peer-to-peer push/pull.
 */
export class PeerPrivateData implements PvtDataFetcher {
  private readonly clients = new Map<string, PrivateDataClient>();

  constructor(private readonly opts: PeerPrivateDataOptions) {}

  /** A TxSimulator with private data for a proposal (its creator is checked against member policies). */
  newSimulator(state: StateDB, txId: string, up: UnpackedProposal): PvtTxSimulator {
    const signed = up.signedProposal;
    const signedData = [
      {
        data: signed.getProposalBytes_asU8(),
        identity: up.signatureHeader.getCreator_asU8(),
        signature: signed.getSignature_asU8(),
      },
    ];
    const cache = new Map<string, boolean>();
    return new PvtTxSimulator(state, txId, {
      channelId: this.opts.channelId,
      collection: (ns, coll) => this.opts.resolver.collection(ns, coll),
      creatorIsMember: (c: Collection) => {
        let member = cache.get(c.name);
        if (member === undefined) {
          try {
            this.opts.resolver.memberPolicy(c).evaluate(signedData);
            member = true;
          } catch {
            member = false;
          }
          cache.set(c.name, member);
        }
        return member;
      },
    });
  }

  /** The private write set of a finished simulation, if it wrote private data. */
  pvtResults(sim: TxSimulator): ledger.rwset.TxPvtReadWriteSet | undefined {
    return sim instanceof PvtTxSimulator ? sim.getPvtResults() : undefined;
  }

  /**
   * Fabric's DistributePrivateData: pushes each collection's write set to member peers (up to
   * maxPeerCount, at least requiredPeerCount must store it), then keeps it in this peer's transient store.
   */
  async distribute(txId: string, pvt: ledger.rwset.TxPvtReadWriteSet): Promise<void> {
    const height = this.opts.height();
    try {
      await this.disseminate(txId, height, pvt);
    } catch (e) {
      throw new Error(
        `failed to distribute private collection, txID ${txId}, channel ${this.opts.channelId}: ${(e as Error).message}`,
      );
    }
    this.opts.coordinator.storeTransient(txId, height, pvt);
  }

  /** Pull at commit: asks member peers for the collections this peer missed. */
  async fetch(txId: string, wanted: WantedCollection[]): Promise<ledger.rwset.TxPvtReadWriteSet[]> {
    const orgs = new Set(
      wanted.flatMap((w) => this.opts.resolver.collection(w.namespace, w.collection)?.memberOrgs ?? []),
    );
    const sources = this.opts.peers.filter((p) => orgs.has(p.mspId));
    const body: PullBody = {
      channel: this.opts.channelId,
      txId,
      wanted: wanted.map((w) => ({ namespace: w.namespace, collection: w.collection })),
    };
    const got: ledger.rwset.TxPvtReadWriteSet[] = [];
    for (const p of sources) {
      try {
        got.push(...(await this.client(p).pull(body, this.opts.timeoutMs ?? 5000)));
      } catch (e) {
        logger.warn({ peer: p.name, txId, err: (e as Error).message }, 'pull of private data failed');
      }
    }
    return got;
  }

  /** The handlers of the devnet.PrivateData service. */
  handlers(): PrivateDataHandlers {
    return {
      authenticate: (m: SignedMessage) => {
        const id = this.opts.deserialize(m.identity);
        if (!id.verify(m.body, m.signature))
          throw new Error('private data request signature does not verify');
        return id.mspId;
      },
      push: async (sender: string, body: PushBody) => {
        if (body.channel !== this.opts.channelId) throw new Error(`channel ${body.channel} not found`);
        const pvt = ledger.rwset.TxPvtReadWriteSet.deserializeBinary(Buffer.from(body.pvt, 'base64'));
        this.opts.coordinator.storeTransient(body.txId, body.height, pvt);
        logger.debug({ txId: body.txId, from: sender }, 'received private data');
      },
      pull: async (sender: string, body: PullBody) => {
        if (body.channel !== this.opts.channelId) throw new Error(`channel ${body.channel} not found`);
        const allowed = (ns: string, coll: string): boolean =>
          body.wanted.some((w) => w.namespace === ns && w.collection === coll) &&
          this.opts.resolver.isMemberOrg(ns, coll, sender);
        return (await this.opts.coordinator.lookup(body.txId))
          .map((s) => filterPvt(s, allowed))
          .filter((s) => s.getNsPvtRwsetList().length > 0);
      },
    };
  }

  /** Closes the clients. */
  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private async disseminate(
    txId: string,
    height: number,
    pvt: ledger.rwset.TxPvtReadWriteSet,
  ): Promise<void> {
    const plans: { coll: Collection; ns: string; targets: RemotePeer[] }[] = [];
    for (const ns of pvt.getNsPvtRwsetList()) {
      for (const c of ns.getCollectionPvtRwsetList()) {
        const coll = this.opts.resolver.collection(ns.getNamespace(), c.getCollectionName());
        if (!coll) throw new Error(`no configuration for collection ${c.getCollectionName()} found`);
        const eligible = this.opts.peers.filter((p) => coll.memberOrgs.includes(p.mspId));
        if (eligible.length < coll.requiredPeerCount) {
          throw new Error(
            `required to disseminate to at least ${coll.requiredPeerCount} peers, but know of only ${eligible.length} eligible peers`,
          );
        }
        plans.push({ coll, ns: ns.getNamespace(), targets: eligible.slice(0, coll.maxPeerCount) });
      }
    }
    const outcomes = new Map<string, Promise<boolean>>();
    const pushTo = (p: RemotePeer): Promise<boolean> => {
      let o = outcomes.get(p.name);
      if (!o) {
        const filtered = filterPvt(pvt, (ns, coll) => this.opts.resolver.isMemberOrg(ns, coll, p.mspId));
        const body: PushBody = {
          channel: this.opts.channelId,
          txId,
          height,
          pvt: Buffer.from(filtered.serializeBinary()).toString('base64'),
        };
        o = this.client(p)
          .push(body, this.opts.timeoutMs ?? 5000)
          .then(() => true)
          .catch((e: Error) => {
            logger.warn({ peer: p.name, txId, err: e.message }, 'push of private data failed');
            return false;
          });
        outcomes.set(p.name, o);
      }
      return o;
    };
    let failures = 0;
    for (const plan of plans) {
      const acks = (await Promise.all(plan.targets.map(pushTo))).filter(Boolean).length;
      if (acks < plan.coll.requiredPeerCount) failures++;
    }
    if (failures > 0)
      throw new Error(`Failed disseminating ${failures} out of ${plans.length} private dissemination plans`);
  }

  private client(p: RemotePeer): PrivateDataClient {
    let c = this.clients.get(p.name);
    if (!c) {
      c = new PrivateDataClient(p.address, p.credentials, p.options, (body) => ({
        body,
        identity: this.opts.signer.serialize(),
        signature: this.opts.signer.sign(body),
      }));
      this.clients.set(p.name, c);
    }
    return c;
  }
}

/** The part of a private write set whose (namespace, collection) passes `keep`. */
export function filterPvt(
  pvt: ledger.rwset.TxPvtReadWriteSet,
  keep: (ns: string, coll: string) => boolean,
): ledger.rwset.TxPvtReadWriteSet {
  const out = new ledger.rwset.TxPvtReadWriteSet();
  out.setDataModel(pvt.getDataModel());
  out.setNsPvtRwsetList(
    pvt
      .getNsPvtRwsetList()
      .map((ns) => {
        const n = new ledger.rwset.NsPvtReadWriteSet();
        n.setNamespace(ns.getNamespace());
        n.setCollectionPvtRwsetList(
          ns.getCollectionPvtRwsetList().filter((c) => keep(ns.getNamespace(), c.getCollectionName())),
        );
        return n;
      })
      .filter((n) => n.getCollectionPvtRwsetList().length > 0),
  );
  return out;
}
