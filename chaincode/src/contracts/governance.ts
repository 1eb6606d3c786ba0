import { Context, Contract, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { AlreadyExistsError, InvalidArgumentError, NotFoundError } from '../lib/errors';
import { canonicalJson, unmarshal } from '../lib/canonical';
import { EventName, emitEvent } from '../lib/events';
import { requireMinistryAdmin } from '../lib/authz';
import { ministryKey } from '../lib/authz-keys';
import { readMinistries, requireGovernanceRole } from '../lib/authz-governance';
import { caller } from '../lib/identity';
import { checkArgument } from '../lib/input';
import { readPartialCompositeKey } from '../lib/query';
import { checkReferences, enact, readSetting } from '../lib/rules-engine-enact';
import { rulesKey, RulesObjectType } from '../lib/rules-engine-keys';
import { parsePageSize, readPage } from '../lib/rules-engine-page';
import { exists, readObject, writeObject } from '../lib/state';
import { appendTrail } from '../lib/trail';
import { txFacts } from '../lib/tx';
import { newMinistry } from '../model/authority-ministry';
import { ID_PATTERN, ID_RULE } from '../model/patterns';
import {
  asDecision,
  asProposal,
  newProposal,
  parseProposalInput,
  proposalScopes,
  proposalTargetId,
  PROPOSAL_STATUSES,
  type Decision,
  type Proposal,
  type ProposalOutcome,
} from '../model/proposal';
import {
  DEFAULT_QUORUM,
  requiredApprovals,
  SETTING_NAMES,
  type QuorumValue,
} from '../model/proposal-setting';

/** Most decisions read when tallying (one per ministry; bounded by the ministries registry). */
const MAX_DECISIONS = 64;

/**
 * The `governance` contract: laws, articles, rules and governed settings change only through
 * proposals. A registered ministry's rule-admin (or root admin) proposes; each registered ministry
 * approves or rejects once, under its own key (no hot key); anyone then runs Tally, which enacts
 * the proposal once the quorum (setting `quorum`, default a majority of registered ministries) is
 * reached, or records its rejection or expiry.
 */
@Info({ title: 'governance', description: 'Ministries, proposals, approvals and governed settings' })
export class GovernanceContract extends Contract {
  constructor() {
    super('governance');
  }

  /**
   * Registers the caller's own ministry for governance (quorums count registered ministries).
   * Caller: the ministry's root admin (certificate OU=admin); each MSP registers once.
   * @returns the registration as canonical JSON.
   */
  @Transaction()
  @Returns('JsonObject')
  async RegisterMinistry(ctx: Context): Promise<string> {
    requireMinistryAdmin(ctx, 'RegisterMinistry');
    const who = caller(ctx);
    const key = ministryKey(ctx, who.mspId);
    if (await exists(ctx, key)) {
      throw new AlreadyExistsError(`ministry ${who.mspId} is already registered`);
    }
    const ministry = newMinistry(txFacts(ctx));
    await writeObject(ctx, key, ministry);
    await appendTrail(ctx, 'ministry', ministry.mspId, 'MINISTRY_REGISTERED');
    emitEvent(ctx, EventName.ministryRegistered, { mspId: ministry.mspId });
    return canonicalJson(ministry);
  }

  /** Lists the registered ministries, ordered by MSP ID, with the approvals a proposal needs now. */
  @Transaction(false)
  @Returns('JsonObject')
  async GetMinistries(ctx: Context): Promise<string> {
    const ministries = await readMinistries(ctx);
    const quorum = await currentQuorum(ctx);
    return canonicalJson({ ministries, quorum, required: requiredApprovals(quorum, ministries.length) });
  }

  /**
   * Submits a proposal.
   * @param proposalJson - `{id, kind: law|article|rule|setting, content, ttlDays?}`.
   * @returns the stored proposal.
   */
  @Transaction()
  @Param('proposalJson', 'string', 'JSON {id, kind, content, ttlDays}')
  @Returns('JsonObject')
  async Propose(ctx: Context, proposalJson: string): Promise<string> {
    const input = parseProposalInput(proposalJson);
    await requireGovernanceRole(ctx, 'Propose', proposalScopes(input));
    const key = rulesKey(ctx, RulesObjectType.proposal, [input.id]);
    if (await exists(ctx, key)) {
      throw new AlreadyExistsError(`proposal ${input.id} already exists`);
    }
    await checkReferences(ctx, input);
    const proposal = newProposal(input, txFacts(ctx));
    await writeObject(ctx, key, proposal);
    await appendTrail(ctx, 'proposal', proposal.id, 'PROPOSAL_SUBMITTED', {
      status: proposal.status,
      kind: proposal.kind,
      target: proposalTargetId(proposal),
    });
    emitEvent(ctx, EventName.proposalSubmitted, {
      id: proposal.id,
      kind: proposal.kind,
      target: proposalTargetId(proposal),
      expiresAt: proposal.expiresAt,
    });
    return canonicalJson(proposal);
  }

  /** Records the caller's ministry's approval of an open, unexpired proposal. */
  @Transaction()
  @Param('proposalId', 'string', 'proposal id')
  @Returns('JsonObject')
  async Approve(ctx: Context, proposalId: string): Promise<string> {
    return decide(ctx, proposalId, 'APPROVE');
  }

  /** Records the caller's ministry's rejection of an open, unexpired proposal. */
  @Transaction()
  @Param('proposalId', 'string', 'proposal id')
  @Returns('JsonObject')
  async Reject(ctx: Context, proposalId: string): Promise<string> {
    return decide(ctx, proposalId, 'REJECT');
  }

  /**
   * Closes an open proposal when it can be closed: ENACTED when approvals of registered ministries
   * reach the quorum (enacting the next version), else EXPIRED after its expiry, else REJECTED when
   * rejections make the quorum unreachable. Anyone on the channel may run it.
   * @throws InvalidArgumentError "proposal X is still open: ..." when none applies (nothing written).
   */
  @Transaction()
  @Param('proposalId', 'string', 'proposal id')
  @Returns('JsonObject')
  async Tally(ctx: Context, proposalId: string): Promise<string> {
    const proposal = await readProposal(ctx, proposalId);
    requireOpen(proposal);
    const tx = txFacts(ctx);
    const ministries = (await readMinistries(ctx)).map((m) => m.mspId);
    const decisions = (await readDecisions(ctx, proposalId)).filter((d) => ministries.includes(d.mspId));
    const approvals = decisions.filter((d) => d.decision === 'APPROVE').map((d) => d.mspId);
    const rejections = decisions.filter((d) => d.decision === 'REJECT').map((d) => d.mspId);
    const required = requiredApprovals(await currentQuorum(ctx), ministries.length);
    const outcome: ProposalOutcome = {
      closedAt: tx.timestamp,
      closedTxId: tx.txId,
      approvals,
      rejections,
      required,
      registered: ministries.length,
    };
    if (approvals.length >= required) {
      outcome.enacted = await enact(ctx, proposal, { at: tx.timestamp, txId: tx.txId });
      proposal.status = 'ENACTED';
    } else if (tx.timestamp >= proposal.expiresAt) {
      proposal.status = 'EXPIRED';
    } else if (ministries.length - rejections.length < required) {
      proposal.status = 'REJECTED';
    } else {
      throw new InvalidArgumentError(
        `proposal ${proposalId} is still open: ${approvals.length} of ${required} approvals, ` +
          `${rejections.length} rejections, expires at ${proposal.expiresAt}`,
      );
    }
    proposal.outcome = outcome;
    await writeObject(ctx, rulesKey(ctx, RulesObjectType.proposal, [proposalId]), proposal);
    await appendTrail(ctx, 'proposal', proposalId, `PROPOSAL_${proposal.status}`, {
      status: proposal.status,
    });
    if (outcome.enacted) {
      const { kind, id, version } = outcome.enacted;
      await appendTrail(ctx, kind, id, `${kind.toUpperCase()}_ENACTED`, { version, proposalId });
    }
    emitEvent(ctx, EventName.proposalClosed, {
      id: proposalId,
      status: proposal.status,
      enacted: outcome.enacted ?? null,
    });
    return canonicalJson(proposal);
  }

  /** Returns a proposal and every ministry's decision on it. */
  @Transaction(false)
  @Param('proposalId', 'string', 'proposal id')
  @Returns('JsonObject')
  async GetProposal(ctx: Context, proposalId: string): Promise<string> {
    const proposal = await readProposal(ctx, proposalId);
    return canonicalJson({ proposal, decisions: await readDecisions(ctx, proposalId) });
  }

  /**
   * Lists proposals by id, one page at a time.
   * @param status - '' for all, else OPEN, ENACTED, REJECTED or EXPIRED (filters within the page,
   *   so a page may hold fewer than pageSize items; keep following the bookmark).
   */
  @Transaction(false)
  @Param('status', 'string', 'status to list; empty for all')
  @Param('pageSize', 'string', 'page size, 1-100 (decimal)')
  @Param('bookmark', 'string', 'where the page starts; empty for the first page')
  @Returns('JsonObject')
  async ListProposals(ctx: Context, status: string, pageSize: string, bookmark: string): Promise<string> {
    if (status !== '' && !(PROPOSAL_STATUSES as readonly string[]).includes(status)) {
      throw new InvalidArgumentError(`status must be '' or one of ${PROPOSAL_STATUSES.join(', ')}`);
    }
    const size = parsePageSize(pageSize);
    const page = await readPage(ctx, RulesObjectType.proposal, [], size, bookmark, (key, value) => {
      const id = ctx.stub.splitCompositeKey(key).attributes[0];
      return asProposal(unmarshal(value, `proposal ${id}`), id);
    });
    return canonicalJson({ ...page, items: page.items.filter((p) => status === '' || p.status === status) });
  }

  /** Returns a governed setting: the value in force (or the default) and every enacted value. */
  @Transaction(false)
  @Param('name', 'string', 'setting name')
  @Returns('JsonObject')
  async GetSetting(ctx: Context, name: string): Promise<string> {
    if (!(SETTING_NAMES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`name must be one of ${SETTING_NAMES.join(', ')}`);
    }
    const setting = await readSetting(ctx, name);
    const fallback = name === 'quorum' ? DEFAULT_QUORUM : null;
    const value = setting?.versions[setting.versions.length - 1].value ?? fallback;
    return canonicalJson({ name, value, isDefault: !setting, versions: setting?.versions ?? [] });
  }
}

/** Approve / Reject: one decision per registered ministry, before the proposal expires. */
async function decide(ctx: Context, proposalId: string, decision: Decision['decision']): Promise<string> {
  const action = decision === 'APPROVE' ? 'Approve' : 'Reject';
  const proposal = await readProposal(ctx, proposalId);
  await requireGovernanceRole(ctx, action, proposalScopes(proposal));
  requireOpen(proposal);
  const tx = txFacts(ctx);
  if (tx.timestamp >= proposal.expiresAt) {
    throw new InvalidArgumentError(
      `proposal ${proposalId} expired at ${proposal.expiresAt}; run governance:Tally to record the expiry`,
    );
  }
  const key = rulesKey(ctx, RulesObjectType.approval, [proposalId, tx.mspId]);
  const previous = await readObject(ctx, key, `decision of ${tx.mspId} on proposal ${proposalId}`);
  if (previous) {
    throw new AlreadyExistsError(
      `ministry ${tx.mspId} already decided on proposal ${proposalId} (${String(previous.decision)})`,
    );
  }
  const record: Decision = {
    docType: 'decision',
    proposalId,
    mspId: tx.mspId,
    decision,
    by: tx.clientId,
    at: tx.timestamp,
    txId: tx.txId,
  };
  await writeObject(ctx, key, record);
  // its own target (not the proposal's chain): ministries approve concurrently without conflicts
  await appendTrail(
    ctx,
    'approval',
    `${proposalId}:${tx.mspId}`,
    decision === 'APPROVE' ? 'PROPOSAL_APPROVAL' : 'PROPOSAL_REJECTION',
    {
      status: decision,
      proposalId,
    },
  );
  emitEvent(ctx, EventName.proposalDecided, { id: proposalId, mspId: tx.mspId, decision });
  return canonicalJson(record);
}

/**
 * Reads a proposal.
 * @throws NotFoundError "proposal X does not exist".
 */
async function readProposal(ctx: Context, proposalId: string): Promise<Proposal> {
  checkArgument('proposalId', proposalId, ID_PATTERN, ID_RULE);
  const value = await readObject(
    ctx,
    rulesKey(ctx, RulesObjectType.proposal, [proposalId]),
    `proposal ${proposalId}`,
  );
  if (!value) {
    throw new NotFoundError(`proposal ${proposalId} does not exist`);
  }
  return asProposal(value, proposalId);
}

/** Refuses a proposal that is already closed. */
function requireOpen(proposal: Proposal): void {
  if (proposal.status !== 'OPEN') {
    throw new InvalidArgumentError(`proposal ${proposal.id} is ${proposal.status}, not OPEN`);
  }
}

/** Reads every decision on a proposal, ordered by MSP ID. */
async function readDecisions(ctx: Context, proposalId: string): Promise<Decision[]> {
  const { entries } = await readPartialCompositeKey(
    ctx,
    RulesObjectType.approval,
    [proposalId],
    MAX_DECISIONS,
  );
  return entries.map((e) => asDecision(unmarshal(e.value, `a decision on proposal ${proposalId}`), e.key));
}

/** The quorum setting in force (the default when never enacted). */
async function currentQuorum(ctx: Context) {
  const setting = await readSetting(ctx, 'quorum');
  return (setting?.versions[setting.versions.length - 1].value as QuorumValue | undefined) ?? DEFAULT_QUORUM;
}
