import { common, peer } from '@hyperledger/fabric-protos';
import type { ChaincodeDefinition } from '../chaincode/definition';
import { getLogger } from '../common/logging';
import type { StateDB } from '../ledger/statedb';
import { hashedKey, hashedNamespace, hashOf } from '../ledger/pvtdatastorage/namespaces';
import { readChaincodeHeaderExtension, readEnvelopeHeaders } from '../protoutil';
import type { ChaincodeStore } from './chaincodestore';
import {
  applicationPolicy,
  CHAINCODE_DEFINITION_TYPE,
  LIFECYCLE_ENDORSEMENT_POLICY_REF,
  privateName,
  readCommittedDefinition,
  type LifecycleDefinition,
} from './chaincodedefinition';
import { implicitCollectionName } from './lifecyclescc';
import type { PrivateCopy } from './privatecopy';
import { collectionsFromProto } from './collectionsconfig';
import { CHAINCODE_SOURCES_NAME, fieldKey, LIFECYCLE_NAMESPACE, NAMESPACES_NAME } from './serializer';

const logger = getLogger('lifecycle.cache');

/** The version Fabric reports for system chaincodes (scc.SysCCVersion). */
export const SYSCC_VERSION = 'syscc';

/** A committed definition as the peer uses it, with the raw lifecycle definition. */
export interface CachedDefinition extends ChaincodeDefinition {
  lifecycle?: LifecycleDefinition;
  /** The ApplicationPolicy: a channel policy reference, or a signature policy ('' reference). */
  endorsementPolicy: { channelConfigPolicy: string; signaturePolicy?: common.SignaturePolicyEnvelope };
}

/** Construction options of {@link LifecycleCache}. */
export interface LifecycleCacheOptions {
  channelId: string;
  state: StateDB;
  /** This peer's organization. */
  mspId: string;
  store: ChaincodeStore;
  privateCopy: PrivateCopy;
}

/**
 * The committed chaincode definitions of one channel as this peer runs them (Fabric's lifecycle.Cache):
 * read from the `_lifecycle` namespace of the world state, with the package this peer's org approved
 * for the committed sequence (its own implicit collection) and where that package's chaincode server
 * listens (the installed package's connection.json). Reloaded after every block that changed `_lifecycle`;
 * `get` is synchronous for the endorser, gateway and validator.
 */
export class LifecycleCache {
  private definitions = new Map<string, CachedDefinition>();
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly opts: LifecycleCacheOptions) {}

  /** The definition `_lifecycle` itself is validated with (Fabric: LifecycleEndorsement policy). */
  static lifecycleDefinition(): CachedDefinition {
    return {
      name: LIFECYCLE_NAMESPACE,
      version: SYSCC_VERSION,
      sequence: 0,
      packageId: '',
      initRequired: false,
      endorsementPolicy: { channelConfigPolicy: LIFECYCLE_ENDORSEMENT_POLICY_REF },
    };
  }

  /** The committed definition of `name` (undefined when not committed). */
  get(name: string): CachedDefinition | undefined {
    if (name === LIFECYCLE_NAMESPACE) return LifecycleCache.lifecycleDefinition();
    return this.definitions.get(name);
  }

  /** Every committed definition. */
  all(): CachedDefinition[] {
    return [...this.definitions.values()];
  }

  /** Resolves when every reload started so far has finished. */
  settled(): Promise<void> {
    return this.pending;
  }

  /** Reads every definition from the state (at start, after each `_lifecycle` change). */
  reload(): Promise<void> {
    this.pending = this.pending
      .then(() => this.load())
      .catch((err: Error) => {
        logger.error({ err: err.message }, 'could not load chaincode definitions');
      });
    return this.pending;
  }

  /** A commit listener: reloads when a valid transaction of the block wrote to `_lifecycle`. */
  onCommit(block: common.Block, filter: Uint8Array): void {
    if (touchesLifecycle(block, filter)) void this.reload();
  }

  /** The chaincodes of this channel running `packageId` here (Fabric's install references). */
  referencesOf(packageId: string): { name: string; version: string }[] {
    return this.all()
      .filter((d) => d.packageId === packageId)
      .map((d) => ({ name: d.name, version: d.version }));
  }

  private async load(): Promise<void> {
    const prefix = `${NAMESPACES_NAME}/metadata/`;
    const names: string[] = [];
    for await (const r of this.opts.state.getRange(LIFECYCLE_NAMESPACE, prefix, `${prefix}\x7f`)) {
      const md = peer.lifecycle.StateMetadata.deserializeBinary(r.value);
      if (md.getDatatype() === CHAINCODE_DEFINITION_TYPE) names.push(r.key.slice(prefix.length));
    }
    const next = new Map<string, CachedDefinition>();
    for (const name of names) {
      const def = await this.resolve(name);
      if (def) next.set(name, def);
    }
    this.definitions = next;
  }

  private async resolve(name: string): Promise<CachedDefinition | undefined> {
    const state = {
      getState: async (key: string) => (await this.opts.state.get(LIFECYCLE_NAMESPACE, key))?.value,
    };
    const ld = await readCommittedDefinition(name, state);
    if (!ld) return undefined;
    const packageId = await this.localPackage(name, ld.sequence);
    const ap = applicationPolicy(ld);
    const def: CachedDefinition = {
      name,
      version: ld.endorsementInfo.getVersion(),
      sequence: ld.sequence,
      packageId,
      initRequired: ld.endorsementInfo.getInitRequired(),
      endorsementPolicy: { channelConfigPolicy: ap?.getChannelConfigPolicyReference() ?? '' },
      lifecycle: ld,
    };
    const sp = ap?.getSignaturePolicy();
    if (sp) def.endorsementPolicy.signaturePolicy = sp;
    const collections = collectionsFromProto(ld.collections);
    if (collections.length > 0) def.collections = collections;
    const server = packageId === '' ? undefined : this.opts.store.endpoint(packageId);
    if (server) def.server = server;
    return def;
  }

  /** The package this org approved for `<name>#<sequence>`, '' when none or not readable here. */
  private async localPackage(name: string, sequence: number): Promise<string> {
    const coll = implicitCollectionName(this.opts.mspId);
    const key = fieldKey(CHAINCODE_SOURCES_NAME, privateName(name, sequence), 'PackageID');
    const hashed = await this.opts.state.get(
      hashedNamespace(LIFECYCLE_NAMESPACE, coll),
      hashedKey(hashOf(key)),
    );
    if (!hashed || hashed.value.length === 0) return '';
    const value = await this.opts.privateCopy.privateValue(LIFECYCLE_NAMESPACE, coll, key, hashed.value);
    if (!value) return '';
    return peer.lifecycle.StateData.deserializeBinary(value).getString();
  }
}

/**
 * True when a valid transaction of the block invoked `_lifecycle` (only those can write its namespace:
 * the validator refuses writes outside the invoked chaincode's namespace). Every chaincode transaction
 * reads `_lifecycle` (the definition's sequence), so the read-write set alone would not tell.
 */
export function touchesLifecycle(block: common.Block, filter: Uint8Array): boolean {
  const data = block.getData()?.getDataList_asU8() ?? [];
  for (let i = 0; i < data.length; i++) {
    if (filter[i] !== peer.TxValidationCode.VALID) continue;
    try {
      const chdr = readEnvelopeHeaders(data[i]).channelHeader;
      if (chdr?.type !== common.HeaderType.ENDORSER_TRANSACTION) continue;
      if (readChaincodeHeaderExtension(chdr.extension).chaincodeId?.name === LIFECYCLE_NAMESPACE) return true;
    } catch {
      // not a parsable endorser transaction: it was not VALID either
    }
  }
  return false;
}
