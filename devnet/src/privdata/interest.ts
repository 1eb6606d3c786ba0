import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { hashedKey, hashedNamespace } from '../ledger/pvtdatastorage/namespaces';
import { kvRwSetOf } from '../ledger/txmgr/rwsetbuilder';
import { readHashedRWSet } from '../protoutil/rwsetviews';
import { deserializeMetadata } from '../ledger/txmgr/statemetadata';
import { Collection, CollectionConfigJson, parseCollectionsConfig } from './collections';

const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';
const SYSTEM_CHAINCODES = new Set(['_lifecycle', 'lscc', 'qscc', 'cscc', 'escc', 'vscc']);

/** Reads committed metadata of a key (ledger/statedb StateDB satisfies it). */
export interface MetadataReader {
  get(ns: string, key: string): Promise<{ metadata?: Uint8Array } | undefined>;
}

/**
 * Fabric's buildChaincodeInterest (core/endorser/endorser.go) from a simulation's read-write set: per
 * chaincode, the key-level policies of the written keys that have one (the chaincode policy is disregarded
 * when every written public key has one), and one call per collection written without a key policy or read,
 * with NoPrivateReads when it was only written. The gateway plans endorsements from it.
 */
export async function buildChaincodeInterest(
  results: ledger.rwset.TxReadWriteSet,
  state: MetadataReader,
): Promise<peer.ChaincodeInterest> {
  const sbe = new Map<string, common.SignaturePolicyEnvelope[]>();
  const required = new Map<string, Map<string, boolean>>();
  const privateReads = new Map<string, Set<string>>();
  const note = (ns: string, coll: string, md: Uint8Array | undefined): void => {
    const vp = deserializeMetadata(md)?.[VALIDATION_PARAMETER];
    if (vp !== undefined)
      sbe.set(ns, [...(sbe.get(ns) ?? []), common.SignaturePolicyEnvelope.deserializeBinary(vp)]);
    else required.get(ns)!.set(coll, true);
  };
  for (const nsrw of results.getNsRwsetList()) {
    const ns = nsrw.getNamespace();
    const kv = kvRwSetOf(nsrw);
    const writes = [...kv.writes.map((w) => w.key), ...kv.metadataWrites.map((w) => w.key)];
    const hashed = nsrw.getCollectionHashedRwsetList().map((c) => ({
      coll: c.getCollectionName(),
      rw: readHashedRWSet(c.getHashedRwset_asU8()),
    }));
    const hashedWrites = hashed.flatMap(({ coll, rw }) =>
      [...rw.hashedWrites.map((w) => w.keyHash), ...rw.metadataWrites.map((w) => w.keyHash)].map((kh) => ({
        coll,
        kh,
      })),
    );
    if (writes.length + hashedWrites.length > 0) {
      required.set(ns, new Map([['', false]]));
      for (const key of new Set(writes)) note(ns, '', (await state.get(ns, key))?.metadata);
      for (const { coll, kh } of hashedWrites)
        note(ns, coll, (await state.get(hashedNamespace(ns, coll), hashedKey(kh)))?.metadata);
    } else if (!required.has(ns)) {
      required.set(ns, new Map([['', true]]));
    }
    for (const { coll, rw } of hashed) {
      if (rw.hashedReads.length > 0) {
        privateReads.set(ns, (privateReads.get(ns) ?? new Set()).add(coll));
        required.get(ns)!.set(coll, true);
      }
    }
  }
  const interest = new peer.ChaincodeInterest();
  for (const [ns, colls] of required) {
    if (SYSTEM_CHAINCODES.has(ns)) continue;
    for (const [coll, isRequired] of colls) {
      const call = new peer.ChaincodeCall();
      call.setName(ns);
      if (coll === '') {
        const policies = sbe.get(ns) ?? [];
        if (policies.length > 0) {
          call.setKeyPoliciesList(policies);
          if (!isRequired) call.setDisregardNamespacePolicy(true);
        } else if (!isRequired) {
          continue;
        }
      } else {
        call.setCollectionNamesList([coll]);
        call.setNoPrivateReads(!(privateReads.get(ns)?.has(coll) ?? false));
      }
      interest.addChaincodes(call);
    }
  }
  return interest;
}

/**
 * A collection as discovery sees it for the gateway's endorsement plan: from the definition's
 * collections config, or an implicit organisation collection, which Fabric's MetadataProvider
 * (core/chaincode/lifecycle/metadata_provider.go) adds with that org's members as both member orgs
 * and endorsement policy (SignedByMspMember). Undefined for an unknown name.
 */
export function collectionOf(
  collections: CollectionConfigJson[] | undefined,
  name: string,
): Collection | undefined {
  const implicit = /^_implicit_org_(.+)$/.exec(name);
  if (implicit) {
    const member = `OR('${implicit[1]}.member')`;
    return {
      ...parseCollectionsConfig([
        { name: 'implicit', policy: member, endorsementPolicy: { signaturePolicy: member } },
      ])[0],
      name,
      implicit: true,
    };
  }
  return parseCollectionsConfig(collections ?? []).find((c) => c.name === name);
}

/**
 * The orgs the gateway may ask to endorse (Fabric's discovery collection filter, as the gateway applies
 * it): members of every collection the simulation read privately, or wrote when the proposal carries
 * transient data, implicit organisation collections included; undefined when nothing restricts them.
 */
export function collectionMemberOrgs(
  interest: peer.ChaincodeInterest | undefined,
  collectionsOf: (chaincode: string) => CollectionConfigJson[] | undefined,
  hasTransientData: boolean,
): Set<string> | undefined {
  let allowed: Set<string> | undefined;
  for (const call of interest?.getChaincodesList() ?? []) {
    if (call.getCollectionNamesList().length === 0 || (call.getNoPrivateReads() && !hasTransientData))
      continue;
    for (const name of call.getCollectionNamesList()) {
      const members = new Set(collectionOf(collectionsOf(call.getName()), name)?.memberOrgs ?? []);
      allowed = allowed === undefined ? members : new Set([...allowed].filter((m) => members.has(m)));
    }
  }
  return allowed;
}
