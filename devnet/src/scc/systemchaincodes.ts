import { ledger, peer } from '@hyperledger/fabric-protos';
import type { Bundle } from '../channelconfig';
import type { BlockReader } from '../ledger/blockstore';
import type { StateDB } from '../ledger/statedb';
import type { TxSimulator } from '../ledger/txmgr';
import type { ChaincodeStore } from '../lifecycle/chaincodestore';
import type { LifecycleCache } from '../lifecycle/cache';
import { implicitCollectionName, invokeLifecycle } from '../lifecycle/lifecyclescc';
import type { PrivateCopy } from '../lifecycle/privatecopy';
import type { UnpackedProposal } from '../protoutil';
import { checkSccACL, type AclIdentity, type LocalMsp } from './acl';
import { invokeCscc } from './cscc';
import { invokeQscc, SccError } from './qscc';
import { SccStub } from './sccstub';

/** Fabric's system chaincode names served by devnet peers. */
export const SYSTEM_CHAINCODE_NAMES = ['_lifecycle', 'qscc', 'cscc'] as const;
/** The version Fabric puts in a system chaincode's ChaincodeID (scc.SysCCVersion). */
export const SYSCC_VERSION = 'syscc';

/** One channel this peer has joined, as the system chaincodes read it (peer/ Channel). */
export interface SccChannel {
  readonly channelId: string;
  readonly bundle: Bundle;
  readonly state: StateDB;
  readonly store: BlockReader;
}

/** Construction options of {@link SystemChaincodes}. */
export interface SystemChaincodesOptions {
  /** This peer's organization (its local MSP). */
  mspId: string;
  /** The channels this peer has joined. */
  channels: () => SccChannel[];
  /** Installed packages (`_lifecycle` Install/Query...). */
  store: ChaincodeStore;
  /** This peer's copy of its org's private `_lifecycle` values. */
  privateCopy: PrivateCopy;
  /** The lifecycle cache of a channel (definitions, references). */
  cache: (channelId: string) => LifecycleCache | undefined;
  /**
   * The channel's private data distribution (privdata/ PeerPrivateData): an approval's private write set
   * goes to the transient store and the org's peers like any chaincode's, to be stored at commit.
   */
  privateData?: (
    channelId: string,
  ) => { distribute(txId: string, pvt: ledger.rwset.TxPvtReadWriteSet): Promise<void> } | undefined;
}

/** What a system chaincode answered, and the read-write set when it ran in a channel with a simulator. */
export interface SccResult {
  response: peer.Response;
  results?: Uint8Array;
}

function shimError(message: string): peer.Response {
  const r = new peer.Response();
  r.setStatus(500);
  r.setMessage(message);
  return r;
}

function success(payload: Uint8Array): peer.Response {
  const r = new peer.Response();
  r.setStatus(200);
  r.setPayload(payload);
  return r;
}

/**
 * The peer's system chaincodes (Fabric's core/scc registry with `_lifecycle`, qscc and cscc), run inside
 * the peer for proposals the Endorser receives for their names. Each checks its own ACL as Fabric's do.
 */
export class SystemChaincodes {
  constructor(private readonly opts: SystemChaincodesOptions) {}

  /** True for `_lifecycle`, qscc and cscc. */
  isSysCC(name: string): boolean {
    return (SYSTEM_CHAINCODE_NAMES as readonly string[]).includes(name);
  }

  /** Whether the endorser gives this system chaincode a transaction simulator (Fabric: not qscc, cscc). */
  needsSimulator(name: string): boolean {
    return name === '_lifecycle';
  }

  /**
   * The peer's local MSP (its own organization's MSP, as in the channel config), against which
   * channel-less proposals are validated and peer-level ACLs (Admins, Members) checked.
   */
  localMsp(): LocalMsp & { msps: { deserializeIdentity(s: Uint8Array): AclIdentity } } {
    const mspId = this.opts.mspId;
    const deserializeIdentity = (serialized: Uint8Array): AclIdentity => {
      const channel = this.opts.channels()[0];
      if (!channel) throw new Error('no MSP available');
      const id = channel.bundle.msps.deserializeIdentity(serialized) as AclIdentity;
      if (id.mspId !== mspId) throw new Error(`expected MSP ID ${mspId}, received ${id.mspId}`);
      return id;
    };
    return { mspId, deserializeIdentity, msps: { deserializeIdentity } };
  }

  /** Runs the proposal's system chaincode; `channel` and `simulator` are absent for channel-less proposals. */
  async execute(
    up: UnpackedProposal,
    channel: SccChannel | undefined,
    simulator: TxSimulator | undefined,
  ): Promise<SccResult> {
    const args = up.input.getArgsList_asU8();
    switch (up.chaincodeName) {
      case '_lifecycle':
        return this.lifecycle(up, args, channel, simulator);
      case 'qscc':
        return { response: await this.qscc(up, args) };
      case 'cscc':
        return { response: await this.cscc(up, args) };
      default:
        return { response: shimError(`system chaincode ${up.chaincodeName} not found`) };
    }
  }

  private async lifecycle(
    up: UnpackedProposal,
    args: Uint8Array[],
    channel: SccChannel | undefined,
    simulator: TxSimulator | undefined,
  ): Promise<SccResult> {
    if (args.length === 0) return { response: shimError('lifecycle scc must be invoked with arguments') };
    if (args.length !== 2)
      return {
        response: shimError(
          `lifecycle scc operations require exactly two arguments but received ${args.length}`,
        ),
      };
    const fname = Buffer.from(args[0]).toString();
    try {
      checkSccACL(
        `_lifecycle/${fname}`,
        up.signedProposal,
        up.signatureHeader.getCreator_asU8(),
        this.localMsp(),
        channel?.bundle,
      );
    } catch (err) {
      return {
        response: shimError(
          `Failed to authorize invocation due to failed ACL check: ${(err as Error).message}`,
        ),
      };
    }
    const cache = channel ? this.opts.cache(channel.channelId) : undefined;
    // A query answers from committed state; reloading first means a client that sees a definition
    // committed can use it at once (the cache reload otherwise lags the commit by a few ms).
    if (fname.startsWith('Query')) await cache?.reload();
    const stub = new SccStub('_lifecycle', up, args, channel?.state, simulator, this.opts.privateCopy);
    const response = await invokeLifecycle(stub, {
      mspId: this.opts.mspId,
      orgMspIds: channel ? channel.bundle.applicationOrgs.map((o) => o.mspId) : [],
      hasDefaultEndorsementPolicy:
        channel?.bundle.policies.getPolicy('/Channel/Application/Endorsement') !== undefined,
      store: this.opts.store,
      references: (packageId) => this.references(packageId),
    });
    if (!simulator) return { response };
    const results = stub.results();
    if (response.getStatus() < 400) {
      const own = implicitCollectionName(this.opts.mspId);
      this.opts.privateCopy.add(
        '_lifecycle',
        stub.privateWrites().filter((w) => w.collection === own),
      );
      const pvt = stub.pvtResults();
      const distribution = channel ? this.opts.privateData?.(channel.channelId) : undefined;
      if (pvt && distribution) await distribution.distribute(stub.txId, pvt);
    }
    return { response, results };
  }

  private references(packageId: string): Map<string, { name: string; version: string }[]> {
    const refs = new Map<string, { name: string; version: string }[]>();
    for (const ch of this.opts.channels()) {
      const list = this.opts.cache(ch.channelId)?.referencesOf(packageId) ?? [];
      if (list.length > 0) refs.set(ch.channelId, list);
    }
    return refs;
  }

  private async qscc(up: UnpackedProposal, args: Uint8Array[]): Promise<peer.Response> {
    if (args.length < 2) return shimError(`Incorrect number of arguments, ${args.length}`);
    const fname = Buffer.from(args[0]).toString();
    const cid = Buffer.from(args[1]).toString();
    if (fname !== 'GetChainInfo' && args.length < 3) return shimError(`missing 3rd argument for ${fname}`);
    const channel = this.opts.channels().find((c) => c.channelId === cid);
    if (!channel) return shimError(`Invalid chain ID, ${cid}`);
    try {
      checkSccACL(
        `qscc/${fname}`,
        up.signedProposal,
        up.signatureHeader.getCreator_asU8(),
        this.localMsp(),
        channel.bundle,
      );
    } catch (err) {
      return shimError(`access denied for [${fname}][${cid}]: [${(err as Error).message}]`);
    }
    return this.run(() => invokeQscc(fname, args, channel.store));
  }

  private async cscc(up: UnpackedProposal, args: Uint8Array[]): Promise<peer.Response> {
    if (args.length < 1) return shimError(`Incorrect number of arguments, ${args.length}`);
    const fname = Buffer.from(args[0]).toString();
    if (args.length < 2 && fname !== 'GetChannels' && fname !== 'JoinBySnapshotStatus')
      return shimError(`Incorrect number of arguments, ${args.length}`);
    const cid = args.length > 1 && fname !== 'JoinChain' ? Buffer.from(args[1]).toString() : '';
    const channel = this.opts.channels().find((c) => c.channelId === cid);
    try {
      checkSccACL(
        `cscc/${fname}`,
        up.signedProposal,
        up.signatureHeader.getCreator_asU8(),
        this.localMsp(),
        channel?.bundle,
      );
    } catch (err) {
      if (fname === 'GetChannelConfig' || fname === 'GetConfigBlock') {
        if (!channel) return shimError(`access denied for [${fname}][${cid}]: unknown channel ID, ${cid}`);
        return shimError(`access denied for [${fname}][${cid}]: ${(err as Error).message}`);
      }
      return shimError(`access denied for [${fname}]: ${(err as Error).message}`);
    }
    const channels = this.opts
      .channels()
      .map((c) => ({ channelId: c.channelId, config: c.bundle.config, store: c.store }));
    return this.run(() => invokeCscc(fname, args, channels));
  }

  private async run(f: () => Promise<Uint8Array>): Promise<peer.Response> {
    try {
      return success(await f());
    } catch (err) {
      if (err instanceof SccError) return shimError(err.message);
      return shimError((err as Error).message);
    }
  }
}
