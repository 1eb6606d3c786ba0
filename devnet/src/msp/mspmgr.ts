import { msp as mspProto } from '@hyperledger/fabric-protos';
import { unmarshal } from '../protoutil/unmarshalers';
import type { Identity } from './identity';
import { LruCache } from '../common/lru';
import { MSP } from './mspimpl';

/** Deserialized identities kept per manager (signature checks are on the hot path). */
const IDENTITY_CACHE_SIZE = 1000;

/**
 * The channel's MSPs by MSP ID (fabric msp/mspmgrimpl.go): deserializes a SerializedIdentity with
 * the MSP it names, caching validated identities by their bytes.
 */
export class MSPManager {
  private readonly msps = new Map<string, MSP>();
  private readonly cache = new LruCache<string, Identity>(IDENTITY_CACHE_SIZE);
  /**
   * The same by the very bytes object: a proposal's creator is deserialized three times (its validation and
   * signature check, the peer/Propose ACL, the expiry check) from one array, and the key string of the
   * cache above (a copy of ~900 bytes) and its lookups were 1-2 % of the gateway peer's busy time.
   */
  private readonly byObject = new WeakMap<Uint8Array, Identity>();

  /** Builds the manager from MSPs; two MSPs with the same ID are an error. */
  constructor(msps: MSP[]) {
    for (const m of msps) {
      if (this.msps.has(m.mspId)) throw new Error(`duplicate MSP ID ${m.mspId}`);
      this.msps.set(m.mspId, m);
    }
  }

  /** An MSPManager over FabricMSPConfigs (or MSPConfig wrappers from a channel config). */
  static fromConfigs(configs: (mspProto.FabricMSPConfig | mspProto.MSPConfig)[]): MSPManager {
    return new MSPManager(configs.map((c) => MSP.fromConfig(c)));
  }

  /**
   * The validated Identity of a serialized msp.SerializedIdentity. Throws naming the problem:
   * unknown MSP, bad PEM or certificate, not chained to the MSP's roots, bad NodeOUs.
   */
  deserializeIdentity(serializedIdentity: Uint8Array): Identity {
    const same = this.byObject.get(serializedIdentity);
    if (same !== undefined) return same;
    // A view, not a copy, of the bytes: the key string is all that is needed of them.
    const key = Buffer.from(
      serializedIdentity.buffer,
      serializedIdentity.byteOffset,
      serializedIdentity.byteLength,
    ).toString('latin1');
    const cached = this.cache.get(key);
    if (cached) {
      this.byObject.set(serializedIdentity, cached);
      return cached;
    }
    const sid = unmarshal(
      'SerializedIdentity',
      mspProto.SerializedIdentity.deserializeBinary,
      serializedIdentity,
    );
    const m = this.msps.get(sid.getMspid());
    if (!m) throw new Error(`MSP ${sid.getMspid()} is not defined on channel`);
    const identity = m.deserializeIdentity(serializedIdentity);
    this.cache.set(key, identity);
    this.byObject.set(serializedIdentity, identity);
    return identity;
  }

  /** The MSP IDs this manager knows. */
  getMSPIds(): string[] {
    return [...this.msps.keys()];
  }

  /** The MSP with this ID, if any. */
  getMSP(mspId: string): MSP | undefined {
    return this.msps.get(mspId);
  }

  /** All MSPs. */
  getMSPs(): MSP[] {
    return [...this.msps.values()];
  }
}

/** Throws an error naming the mismatch unless `identity` satisfies `principal` (fabric Identity.SatisfiesPrincipal). */
export function satisfiesPrincipal(identity: Identity, principal: mspProto.MSPPrincipal): void {
  identity.satisfiesPrincipal(principal);
}
