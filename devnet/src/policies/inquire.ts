import { common, msp as mspProto } from '@hyperledger/fabric-protos';

/** A multiset of principals that together satisfy a policy (fabric policies.PrincipalSet). */
export type PrincipalSet = mspProto.MSPPrincipal[];

/** Fabric caps the combinations of one NOutOf node (inquire combinationsUpperBound). */
const COMBINATIONS_UPPER_BOUND = 10000;

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Every way to pick `k` of `n` indices, in Fabric's order (graph chooseKoutOfN). */
function chooseKOutOfN(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (i: number, current: number[]): void => {
    if (current.length === k) {
      out.push(current);
      return;
    }
    if (k - current.length > n - i) return;
    pick(i + 1, [...current, i]);
    pick(i + 1, current);
  };
  pick(0, []);
  return out;
}

function rulePrincipalSets(rule: common.SignaturePolicy, principals: PrincipalSet): PrincipalSet[] {
  if (rule.hasSignedBy()) {
    const principal = principals[rule.getSignedBy()];
    if (!principal) throw new Error(`identity index ${rule.getSignedBy()} out of range`);
    return [[principal]];
  }
  const nOutOf = rule.getNOutOf();
  if (!nOutOf) throw new Error('Unknown SignaturePolicy type (neither signed_by nor n_out_of)');
  const rules = [...nOutOf.getRulesList()];
  // Fabric drops random sub-rules until the combinations fit its bound; devnet drops the last ones.
  while (rules.length >= nOutOf.getN() && binomial(rules.length, nOutOf.getN()) > COMBINATIONS_UPPER_BOUND)
    rules.pop();
  const sub = rules.map((r) => rulePrincipalSets(r, principals));
  const result: PrincipalSet[] = [];
  for (const chosen of chooseKOutOfN(rules.length, nOutOf.getN())) {
    let product: PrincipalSet[] = [[]];
    for (const i of chosen) product = product.flatMap((acc) => sub[i].map((set) => [...acc, ...set]));
    result.push(...product);
  }
  return result;
}

/**
 * The principal sets that satisfy a signature policy (fabric inquire SatisfiedBy): one per choice of
 * N of the M sub-rules at every NOutOf node, each the multiset of the chosen leaves' principals.
 */
export function satisfiedBy(envelope: common.SignaturePolicyEnvelope): PrincipalSet[] {
  const rule = envelope.getRule();
  if (!rule) return [];
  return rulePrincipalSets(rule, envelope.getIdentitiesList()).filter((s) => s.length > 0);
}

/** A decoded principal that can be compared with others (fabric inquire.ComparablePrincipal). */
export interface ComparablePrincipal {
  principal: mspProto.MSPPrincipal;
  mspId: string;
  role?: number;
  ou?: { id: string; certifiers: string };
  idBytes?: string;
}

/** Decodes a principal for comparison; undefined for an unsupported classification. */
export function comparablePrincipal(principal: mspProto.MSPPrincipal): ComparablePrincipal | undefined {
  const bytes = principal.getPrincipal_asU8();
  const C = mspProto.MSPPrincipal.Classification;
  switch (principal.getPrincipalClassification()) {
    case C.ROLE: {
      const role = mspProto.MSPRole.deserializeBinary(bytes);
      return { principal, mspId: role.getMspIdentifier(), role: role.getRole() };
    }
    case C.ORGANIZATION_UNIT: {
      const ou = mspProto.OrganizationUnit.deserializeBinary(bytes);
      return {
        principal,
        mspId: ou.getMspIdentifier(),
        ou: { id: ou.getOrganizationalUnitIdentifier(), certifiers: ou.getCertifiersIdentifier_asB64() },
      };
    }
    case C.IDENTITY: {
      const sid = mspProto.SerializedIdentity.deserializeBinary(bytes);
      return { principal, mspId: sid.getMspid(), idBytes: sid.getIdBytes_asB64() };
    }
    default:
      return undefined;
  }
}

/** Whether `a` is a kind of `b` (fabric ComparablePrincipal.IsA): anything of an MSP is a member of it. */
export function isA(a: ComparablePrincipal, b: ComparablePrincipal): boolean {
  if (a.mspId !== b.mspId) return false;
  if (b.role === mspProto.MSPRole.MSPRoleType.MEMBER) return true;
  if (a.ou && b.ou) return a.ou.id === b.ou.id && a.ou.certifiers === b.ou.certifiers;
  if (a.role !== undefined && b.role !== undefined) return a.role === b.role;
  if (a.idBytes !== undefined) return a.idBytes === b.idBytes;
  return false;
}

function equal(a: ComparablePrincipal, b: ComparablePrincipal): boolean {
  return (
    a.mspId === b.mspId &&
    a.principal.getPrincipalClassification() === b.principal.getPrincipalClassification() &&
    a.principal.getPrincipal_asB64() === b.principal.getPrincipal_asB64()
  );
}

/** A set of comparable principals (fabric ComparablePrincipalSet). */
export type ComparableSet = ComparablePrincipal[];

/** Decodes a principal set; undefined when one of its principals is unsupported. */
export function comparableSet(set: PrincipalSet): ComparableSet | undefined {
  const out: ComparableSet = [];
  for (const p of set) {
    const cp = comparablePrincipal(p);
    if (!cp) return undefined;
    out.push(cp);
  }
  return out;
}

const contains = (set: ComparableSet, p: ComparablePrincipal): boolean => set.some((q) => isA(q, p));
const containedIn = (a: ComparableSet, b: ComparableSet): boolean => a.every((p) => contains(b, p));
const isSubset = (a: ComparableSet, b: ComparableSet): boolean => a.every((p) => b.some((q) => equal(p, q)));

/** `containing` plus the principals of `contained` that no unused principal of `containing` is a kind of. */
function mergeWithPlurality(contained: ComparableSet, containing: ComparableSet): ComparableSet {
  const used = new Set<number>();
  const toAdd: ComparableSet = [];
  for (const p of contained) {
    const i = containing.findIndex((q, j) => !used.has(j) && isA(q, p));
    if (i >= 0) used.add(i);
    else toAdd.push(p);
  }
  return [...containing, ...toAdd];
}

/** index in `s1` → indices in `s2` of the sets containing it. */
function containedInMapping(s1: ComparableSet[], s2: ComparableSet[]): Map<number, number[]> {
  const mapping = new Map<number, number[]>();
  s1.forEach((a, i) =>
    s2.forEach((b, j) => {
      if (containedIn(a, b)) mapping.set(i, [...(mapping.get(i) ?? []), j]);
    }),
  );
  return mapping;
}

function invert(mapping: Map<number, number[]>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const [i, js] of mapping) for (const j of js) out.set(j, [...(out.get(j) ?? []), i]);
  return out;
}

const excluding = (sets: ComparableSet[], mapping: Map<number, number[]>): ComparableSet[] =>
  sets.filter((_, i) => !mapping.has(i));

function pairsOf(
  sets: ComparableSet[],
  mapping: Map<number, number[]>,
  others: ComparableSet[],
): ComparableSet[] {
  const out: ComparableSet[] = [];
  for (const [i, js] of mapping) for (const j of js) out.push(mergeWithPlurality(sets[i], others[j]));
  return out;
}

/** Drops every set that strictly contains another (fabric ComparablePrincipalSets.Reduce). */
function reduce(sets: ComparableSet[]): ComparableSet[] {
  let current = sets;
  for (;;) {
    const next = current.filter((s1, i) => {
      let containing = false;
      current.forEach((s2, j) => {
        if (i === j) return;
        if (isSubset(s2, s1)) containing = true;
        if (isSubset(s1, s2) && i < j) containing = false;
      });
      return !containing;
    });
    if (next.length === current.length) return next;
    current = next;
  }
}

/**
 * The principal sets satisfying both `s1`'s and `s2`'s policies (fabric inquire.Merge): a set of one
 * contained in a set of the other merges into it; the rest combine pairwise; supersets are dropped.
 */
export function mergePrincipalSets(s1: ComparableSet[], s2: ComparableSet[]): ComparableSet[] {
  const in1 = containedInMapping(s1, s2);
  const merged = pairsOf(s1, in1, s2);
  let rest1 = excluding(s1, in1);
  const in2 = containedInMapping(s2, rest1);
  merged.push(...pairsOf(s2, in2, rest1));
  let rest2 = excluding(s2, in2);
  rest1 = excluding(rest1, invert(in2));
  rest2 = excluding(rest2, invert(in1));
  if (rest1.length === 0 || rest2.length === 0) return reduce(merged);
  for (const x of rest1) for (const y of rest2) merged.push(mergeWithPlurality(x, y));
  return reduce(merged);
}
