import jsonLogic from 'json-logic-js';
import { canonicalJson, type JsonValue } from './canonical';
import { InvalidArgumentError } from './errors';
import { isJsonObject } from './input';

/**
 * Machine-checkable rule conditions: JSON Logic (json-logic-js) restricted to pure operators.
 * Every allowed operator is a function of its arguments and the data only, so all endorsers
 * compute the same result: there is no clock, no randomness, no `log` (console output) and no
 * `method` (calls into JavaScript). Unknown operators are refused when a rule is proposed, so a
 * condition never meets an operator at evaluation time that it was not checked for.
 */
export const ALLOWED_OPERATORS: ReadonlySet<string> = new Set([
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  '==',
  '===',
  '!=',
  '!==',
  '!',
  '!!',
  'or',
  'and',
  '>',
  '>=',
  '<',
  '<=',
  'max',
  'min',
  '+',
  '-',
  '*',
  '/',
  '%',
  'in',
  'cat',
  'substr',
  'merge',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
]);

/** Largest condition accepted, in bytes of canonical JSON. */
export const MAX_CONDITION_BYTES = 8 * 1024;
/** Deepest nesting accepted. */
const MAX_DEPTH = 32;

/**
 * Checks a condition before it is stored: size, depth, and that every operation is an allowed
 * operator with one key.
 * @param what - names the condition in errors, e.g. `proposalJson: field "content.condition"`.
 * @throws InvalidArgumentError naming the offending operator or limit.
 */
export function checkCondition(condition: JsonValue, what: string): void {
  if (Buffer.byteLength(canonicalJson(condition, what)) > MAX_CONDITION_BYTES) {
    throw new InvalidArgumentError(`${what} is larger than ${MAX_CONDITION_BYTES} bytes`);
  }
  walk(condition, what, 0);
}

/** Visits every node of a condition. */
function walk(node: JsonValue, what: string, depth: number): void {
  if (depth > MAX_DEPTH) {
    throw new InvalidArgumentError(`${what} is nested deeper than ${MAX_DEPTH} levels`);
  }
  if (Array.isArray(node)) {
    node.forEach((item) => walk(item, what, depth + 1));
    return;
  }
  if (!isJsonObject(node)) {
    return; // a literal
  }
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    throw new InvalidArgumentError(
      `${what}: an operation must have exactly one operator key, found ${keys.length}`,
    );
  }
  const operator = keys[0];
  if (!ALLOWED_OPERATORS.has(operator)) {
    throw new InvalidArgumentError(
      `${what}: operator ${JSON.stringify(operator.slice(0, 40))} is not allowed (allowed: ${[...ALLOWED_OPERATORS].join(' ')})`,
    );
  }
  walk(node[operator], what, depth + 1);
}

/** Outcome of evaluating a condition. */
export interface ConditionOutcome {
  passed: boolean;
  /** Why it failed when evaluation itself threw (e.g. a bad `var` path type). */
  error?: string;
}

/** Evaluates a checked condition over `data`; a condition that throws counts as failed. */
export function evaluateCondition(condition: JsonValue, data: JsonValue): ConditionOutcome {
  try {
    return { passed: jsonLogic.truthy(jsonLogic.apply(condition as jsonLogic.RulesLogic, data)) };
  } catch (err) {
    return { passed: false, error: (err as Error).message };
  }
}
