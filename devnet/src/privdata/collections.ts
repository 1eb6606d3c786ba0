import { common, msp as mspProto } from '@hyperledger/fabric-protos';
import { fromString } from '../policies/policydsl';

/** Fabric's prefix of an organization's implicit collection (core/chaincode/implicitcollection). */
export const IMPLICIT_COLLECTION_PREFIX = '_implicit_org_';

/** One entry of a collections config JSON file as the peer CLI reads it (`--collections-config`). */
export interface CollectionConfigJson {
  name: string;
  /** Member orgs policy, e.g. `OR('ImmigrationMSP.member','HealthMSP.member')`. */
  policy: string;
  requiredPeerCount?: number;
  maxPeerCount?: number;
  blockToLive?: number;
  memberOnlyRead?: boolean;
  memberOnlyWrite?: boolean;
  endorsementPolicy?: { signaturePolicy?: string; channelConfigPolicy?: string };
}

/** A collection as the peer uses it (Fabric's StaticCollectionConfig with the member orgs resolved). */
export interface Collection {
  name: string;
  memberPolicy: common.SignaturePolicyEnvelope;
  /** MSP ids named by the member policy (who may hold the private data). */
  memberOrgs: string[];
  requiredPeerCount: number;
  maxPeerCount: number;
  /** 0 = kept forever; else purged after this many blocks. */
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy?: { signaturePolicy?: common.SignaturePolicyEnvelope; channelConfigPolicy?: string };
  implicit: boolean;
}

/** The MSP ids of the ROLE principals of a signature policy. */
export function memberOrgsOf(envelope: common.SignaturePolicyEnvelope): string[] {
  const orgs = new Set<string>();
  for (const p of envelope.getIdentitiesList()) {
    if (p.getPrincipalClassification() === mspProto.MSPPrincipal.Classification.ROLE) {
      orgs.add(mspProto.MSPRole.deserializeBinary(p.getPrincipal_asU8()).getMspIdentifier());
    }
  }
  return [...orgs].sort();
}

const NAME = /^[A-Za-z0-9_-]+$/;

function nonNegativeInt(v: unknown, what: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new Error(`${what} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Parses and checks a collections config (the JSON array of the peer CLI's `--collections-config`), as
 * Fabric's lifecycle validates it: unique names matching [A-Za-z0-9_-]+ not starting with the implicit
 * prefix, a parseable member policy, requiredPeerCount <= maxPeerCount. Throws naming the bad entry.
 */
export function parseCollectionsConfig(json: unknown): Collection[] {
  if (!Array.isArray(json)) throw new Error('collections config must be a JSON array');
  const seen = new Set<string>();
  return json.map((raw: CollectionConfigJson, i) => {
    const where = `collections config entry ${i}`;
    if (typeof raw?.name !== 'string' || !NAME.test(raw.name))
      throw new Error(`${where}: invalid collection name ${JSON.stringify(raw?.name)}`);
    if (raw.name.startsWith(IMPLICIT_COLLECTION_PREFIX))
      throw new Error(
        `${where}: collection name '${raw.name}' uses the reserved prefix ${IMPLICIT_COLLECTION_PREFIX}`,
      );
    if (seen.has(raw.name))
      throw new Error(`${where}: collection-name: ${raw.name} -- found duplicate collection configuration`);
    seen.add(raw.name);
    if (typeof raw.policy !== 'string') throw new Error(`${where} (${raw.name}): policy is required`);
    const memberPolicy = fromString(raw.policy);
    const requiredPeerCount = nonNegativeInt(raw.requiredPeerCount, `${raw.name}.requiredPeerCount`, 0);
    const maxPeerCount = nonNegativeInt(raw.maxPeerCount, `${raw.name}.maxPeerCount`, 0);
    if (maxPeerCount < requiredPeerCount) {
      throw new Error(
        `collection-name: ${raw.name} -- maximum peer count (${maxPeerCount}) cannot be less than the required peer count (${requiredPeerCount})`,
      );
    }
    const ep = raw.endorsementPolicy;
    return {
      name: raw.name,
      memberPolicy,
      memberOrgs: memberOrgsOf(memberPolicy),
      requiredPeerCount,
      maxPeerCount,
      blockToLive: nonNegativeInt(raw.blockToLive, `${raw.name}.blockToLive`, 0),
      memberOnlyRead: raw.memberOnlyRead === true,
      memberOnlyWrite: raw.memberOnlyWrite === true,
      endorsementPolicy: ep
        ? ep.signaturePolicy !== undefined
          ? { signaturePolicy: fromString(ep.signaturePolicy) }
          : {
              channelConfigPolicy: ep.channelConfigPolicy?.startsWith('/')
                ? ep.channelConfigPolicy
                : `/Channel/Application/${ep.channelConfigPolicy ?? 'Endorsement'}`,
            }
        : undefined,
      implicit: false,
    };
  });
}

/**
 * An organization's implicit collection (Fabric's GenerateImplicitCollectionForOrg): members = that org,
 * kept forever, not member-only; its endorsement policy is the org's own Endorsement policy. The
 * dissemination counts are the peer's implicitCollectionDisseminationPolicy for its own org (0/1), else 0.
 */
export function implicitCollection(
  mspId: string,
  orgGroupName: string | undefined,
  localMspId?: string,
): Collection {
  const memberPolicy = fromString(`OR('${mspId}.member')`);
  const own = mspId === localMspId;
  return {
    name: `${IMPLICIT_COLLECTION_PREFIX}${mspId}`,
    memberPolicy,
    memberOrgs: [mspId],
    requiredPeerCount: 0,
    maxPeerCount: own ? 1 : 0,
    blockToLive: 0,
    memberOnlyRead: false,
    memberOnlyWrite: false,
    endorsementPolicy: orgGroupName
      ? { channelConfigPolicy: `/Channel/Application/${orgGroupName}/Endorsement` }
      : undefined,
    implicit: true,
  };
}

/** The collections of a chaincode: its explicit ones and one implicit collection per application org. */
export class CollectionSet {
  private readonly byName = new Map<string, Collection>();

  constructor(explicit: Collection[], orgs: { mspId: string; name?: string }[], localMspId?: string) {
    for (const c of explicit) this.byName.set(c.name, c);
    for (const o of orgs) {
      const c = implicitCollection(o.mspId, o.name, localMspId);
      this.byName.set(c.name, c);
    }
  }

  /** The collection, or undefined when the chaincode does not define it. */
  get(name: string): Collection | undefined {
    return this.byName.get(name);
  }

  /** Every collection (explicit and implicit). */
  all(): Collection[] {
    return [...this.byName.values()];
  }
}
