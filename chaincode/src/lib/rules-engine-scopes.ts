import type { Context } from 'fabric-contract-api';
import { coveringNodes, type Scope } from './authz-scope';
import { LimitExceededError, StateCorruptError } from './errors';
import { INDEX_VALUE } from './keys';
import { collectBounded, readPartialCompositeKey } from './query';
import { rulesKey, RulesObjectType } from './rules-engine-keys';
import { readObject, writeObject } from './state';

/**
 * Which rules apply at which node of the service hierarchy, read by point reads. Every record
 * registration asks for the rules covering its type: six scope nodes (`{*, category} × {*, domain,
 * record type}`), which were six range queries, each a chaincode-to-peer round trip and re-run at
 * commit by every peer. Here each node that has rules is one key listing them (`rules.scope-node`),
 * and one directory key (`rules.scope-nodes`) names those nodes, so a registration reads the
 * directory and only the covering nodes it names: one point read when no rule applies.
 *
 * The directory changes only when a node gets its first rule, so registrations, which read it, and
 * enactments at nodes that already have rules do not invalidate each other. Enactment also keeps
 * writing the older range index (`rules.scope~rule`): until the first rule is enacted under this
 * layout (a ledger written by an older chaincode has no directory) readers use that index, and
 * that first enactment carries the older index over.
 */

/** Most rules that may apply to one node of the service hierarchy (more fails loudly, never silently). */
export const MAX_RULES_PER_NODE = 100;

/** Most entries of the older range index carried over to the directory in one enactment. */
const MAX_CARRIED_OVER = 10_000;

/** `rules.scope-nodes` [] → the nodes that have rules, as `category/path` (`*` for any), sorted. */
interface ScopeDirectory {
  docType: 'rules.scope-nodes';
  nodes: string[];
}

/** `rules.scope-node` [category|*, path|*] → the ids of the rules that were ever enacted for that node, sorted. */
interface ScopeNode {
  docType: 'rules.scope-node';
  ruleIds: string[];
}

/** A node's name in the directory. */
function nodeName(node: [string, string]): string {
  return node.join('/');
}

/** Reads the directory, or undefined when no rule was enacted under this layout. */
async function readDirectory(ctx: Context): Promise<ScopeDirectory | undefined> {
  const value = await readObject(ctx, rulesKey(ctx, RulesObjectType.scopeNodes, []), 'rule scope directory');
  if (value === undefined) return undefined;
  if (value.docType !== 'rules.scope-nodes' || !Array.isArray(value.nodes)) {
    throw new StateCorruptError('the rule scope directory is not a list of nodes');
  }
  return value as unknown as ScopeDirectory;
}

/** Reads a node's rule ids (none when the node has no key). */
async function readNodeRuleIds(ctx: Context, node: [string, string]): Promise<string[]> {
  const value = await readObject(
    ctx,
    rulesKey(ctx, RulesObjectType.scopeNode, node),
    `rules of scope node ${nodeName(node)}`,
  );
  if (value === undefined) return [];
  if (value.docType !== 'rules.scope-node' || !Array.isArray(value.ruleIds)) {
    throw new StateCorruptError(`the rules of scope node ${nodeName(node)} are not a list of rule ids`);
  }
  return value.ruleIds as string[];
}

/** Refuses a node with more rules than {@link MAX_RULES_PER_NODE}. */
function checkNodeSize(node: [string, string], count: number): void {
  if (count > MAX_RULES_PER_NODE) {
    throw new LimitExceededError(
      `more than ${MAX_RULES_PER_NODE} rules apply to scope node ${node.join('/')}`,
    );
  }
}

/**
 * The ids of every rule ever enacted for a scope covering `target` (the versions in force decide
 * which apply), sorted.
 * @throws LimitExceededError when one node has more than {@link MAX_RULES_PER_NODE} rules.
 */
export async function ruleIdsCovering(ctx: Context, target: Scope): Promise<string[]> {
  const directory = await readDirectory(ctx);
  const ids = new Set<string>();
  for (const node of coveringNodes(target)) {
    if (directory === undefined) {
      (await legacyNodeRuleIds(ctx, node)).forEach((id) => ids.add(id));
    } else if (directory.nodes.includes(nodeName(node))) {
      const found = await readNodeRuleIds(ctx, node);
      checkNodeSize(node, found.length);
      found.forEach((id) => ids.add(id));
    }
  }
  return [...ids].sort();
}

/** A node's rule ids from the older range index (a ledger without the directory). */
async function legacyNodeRuleIds(ctx: Context, node: [string, string]): Promise<string[]> {
  const { entries, truncated } = await readPartialCompositeKey(
    ctx,
    RulesObjectType.scopeIndex,
    node,
    MAX_RULES_PER_NODE,
  );
  if (truncated) checkNodeSize(node, MAX_RULES_PER_NODE + 1);
  return entries.map((e) => ctx.stub.splitCompositeKey(e.key).attributes[2]);
}

/**
 * Records that rule `ruleId` applies at `nodes` (its version being enacted names them): adds it to
 * each node's key, and each new node to the directory. The first call on a ledger without the
 * directory builds it from the older range index first. Also writes the older index's entries.
 */
export async function indexRuleScopes(
  ctx: Context,
  ruleId: string,
  nodes: [string, string][],
): Promise<void> {
  const directory = await readDirectory(ctx);
  // node name → its rule ids, for every node this call writes
  const changed = new Map<string, { node: [string, string]; ids: Set<string> }>();
  const listed = new Set(directory?.nodes ?? []);
  if (directory === undefined) {
    for (const [node, ids] of await carryOver(ctx)) {
      changed.set(nodeName(node), { node, ids: new Set(ids) });
      listed.add(nodeName(node));
    }
  }
  for (const node of nodes) {
    await ctx.stub.putState(rulesKey(ctx, RulesObjectType.scopeIndex, [...node, ruleId]), INDEX_VALUE);
    const name = nodeName(node);
    let entry = changed.get(name);
    if (entry === undefined) {
      entry = { node, ids: new Set(listed.has(name) ? await readNodeRuleIds(ctx, node) : []) };
      changed.set(name, entry);
    }
    entry.ids.add(ruleId);
    listed.add(name);
  }
  for (const { node, ids } of changed.values()) {
    const doc: ScopeNode = { docType: 'rules.scope-node', ruleIds: [...ids].sort() };
    await writeObject(ctx, rulesKey(ctx, RulesObjectType.scopeNode, node), doc);
  }
  const names = [...listed].sort();
  if (directory === undefined || names.length !== directory.nodes.length) {
    const doc: ScopeDirectory = { docType: 'rules.scope-nodes', nodes: names };
    await writeObject(ctx, rulesKey(ctx, RulesObjectType.scopeNodes, []), doc);
  }
}

/** The older range index, by node (a ledger whose rules an older chaincode enacted). */
async function carryOver(ctx: Context): Promise<Map<[string, string], string[]>> {
  const { entries, truncated } = await collectBounded(
    await ctx.stub.getStateByPartialCompositeKey(RulesObjectType.scopeIndex, []),
    MAX_CARRIED_OVER,
  );
  if (truncated) {
    throw new LimitExceededError(`more than ${MAX_CARRIED_OVER} rule scope index entries to carry over`);
  }
  const byName = new Map<string, { node: [string, string]; ids: string[] }>();
  for (const e of entries) {
    const [category, path, id] = ctx.stub.splitCompositeKey(e.key).attributes;
    const name = nodeName([category, path]);
    const entry = byName.get(name) ?? { node: [category, path] as [string, string], ids: [] };
    entry.ids.push(id);
    byName.set(name, entry);
  }
  return new Map([...byName.values()].map((e) => [e.node, e.ids]));
}
