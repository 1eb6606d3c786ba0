import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { canonicalJson } from '../lib/canonical';
import { AlreadyExistsError, NotFoundError } from '../lib/errors';
import { EventName, emitEvent } from '../lib/events';
import { requireAdmin } from '../lib/identity';
import { checkArgument } from '../lib/input';
import { ruleKey } from '../lib/keys';
import { readObject, writeObject } from '../lib/state';
import { txFacts } from '../lib/tx';
import { ID_PATTERN, ID_RULE } from '../model/patterns';
import { asRule, newRule, parseRuleInput } from '../model/rule';

/**
 * The `rules` contract: machine-readable references to articles of law that govern record types.
 * This is the first transaction only; proposals and quorum-based governance come later, so for
 * now an organization admin defines a rule alone.
 */
@Info({ title: 'rules', description: 'Rules derived from articles of law, by record type' })
export class RulesContract extends Contract {
  constructor() {
    super('rules');
  }

  /**
   * Defines a new rule. Caller must be an organization admin (certificate OU=admin).
   * @param ruleJson - JSON `{id, lawId, articleId, title, textHash, appliesTo, version, effectiveFrom}`.
   * @returns the stored rule as canonical JSON.
   */
  @Transaction()
  @Returns('string')
  async DefineRule(ctx: Context, ruleJson: string): Promise<string> {
    // access first: a non-admin learns nothing about the rules' state or input checks
    requireAdmin(ctx, 'DefineRule');
    const input = parseRuleInput(ruleJson);
    const key = ruleKey(ctx, input.id);
    const existing = await readObject(ctx, key, `rule ${input.id}`);
    if (existing) {
      throw new AlreadyExistsError(
        `rule ${input.id} already exists (version ${String(existing.version)}); amendments need the rule governance process`,
      );
    }
    const rule = newRule(input, txFacts(ctx));
    await writeObject(ctx, key, rule);
    emitEvent(ctx, EventName.ruleDefined, {
      id: rule.id,
      lawId: rule.lawId,
      articleId: rule.articleId,
      version: rule.version,
    });
    return canonicalJson(rule);
  }

  /**
   * Returns a rule.
   * @throws NotFoundError "rule X does not exist".
   */
  @Transaction(false)
  @Returns('string')
  async GetRule(ctx: Context, id: string): Promise<string> {
    checkArgument('id', id, ID_PATTERN, ID_RULE);
    const value = await readObject(ctx, ruleKey(ctx, id), `rule ${id}`);
    if (!value) {
      throw new NotFoundError(`rule ${id} does not exist`);
    }
    return canonicalJson(asRule(value, id));
  }
}
