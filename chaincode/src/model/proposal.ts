import { canonicalJson, type JsonObject } from '../lib/canonical';
import { StateCorruptError } from '../lib/errors';
import { InputObject } from '../lib/input';
import type { TxFacts } from '../lib/tx';
import { parseArticleContent, type ArticleContent } from './article';
import { parseLawContent, type LawContent } from './law';
import { ID_PATTERN, ID_RULE } from './patterns';
import { parseSettingContent, type SettingContent } from './proposal-setting';
import { parseRuleContent, type RuleContent } from './rule';

/** What a proposal may enact. */
export const PROPOSAL_KINDS = ['law', 'article', 'rule', 'setting'] as const;
/** One of {@link PROPOSAL_KINDS}. */
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

/** Lifecycle of a proposal: OPEN until a Tally enacts, rejects or expires it. */
export const PROPOSAL_STATUSES = ['OPEN', 'ENACTED', 'REJECTED', 'EXPIRED'] as const;
/** One of {@link PROPOSAL_STATUSES}. */
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** Days a proposal stays open unless the proposal says otherwise. */
export const DEFAULT_TTL_DAYS = 14;
const MAX_TTL_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The parsed content of a proposal, by kind. */
export type ProposalContent =
  | { kind: 'law'; content: LawContent }
  | { kind: 'article'; content: ArticleContent }
  | { kind: 'rule'; content: RuleContent }
  | { kind: 'setting'; content: SettingContent };

/** The fields of Propose's proposalJson argument. */
export type ProposalInput = ProposalContent & { id: string; ttlDays: number };

/** How a proposal was closed. */
export interface ProposalOutcome {
  closedAt: string;
  closedTxId: string;
  /** MSP IDs of the registered ministries that approved / rejected, sorted. */
  approvals: string[];
  rejections: string[];
  /** Approvals the quorum required and ministries registered, at closing time. */
  required: number;
  registered: number;
  /** What the enactment created. */
  enacted?: { kind: ProposalKind; id: string; version: number };
}

/** A proposal under `gov.proposal` [id]; decisions live under their own keys. */
export type Proposal = ProposalContent & {
  docType: 'proposal';
  id: string;
  status: ProposalStatus;
  proposedBy: string;
  proposedByMsp: string;
  proposedAt: string;
  expiresAt: string;
  txId: string;
  outcome?: ProposalOutcome;
};

/** One ministry's decision on a proposal, under `gov.approval` [proposalId, mspId]. */
export interface Decision {
  docType: 'decision';
  proposalId: string;
  mspId: string;
  decision: 'APPROVE' | 'REJECT';
  by: string;
  at: string;
  txId: string;
}

/**
 * Parses and checks Propose's argument, including the content of its kind.
 * @throws InvalidArgumentError naming the first bad field.
 */
export function parseProposalInput(proposalJson: string): ProposalInput {
  const input = InputObject.parse('proposalJson', proposalJson);
  input.rejectUnknownFields(['id', 'kind', 'content', 'ttlDays']);
  const id = input.string('id', ID_PATTERN, ID_RULE);
  const kind = input.oneOf('kind', PROPOSAL_KINDS);
  const ttlDays = input.has('ttlDays') ? input.integer('ttlDays', 1, MAX_TTL_DAYS) : DEFAULT_TTL_DAYS;
  const content = InputObject.parse('proposalJson.content', canonicalJson(input.object('content')));
  return { id, ttlDays, ...parseContent(kind, content) };
}

/** Parses the content of one kind. */
function parseContent(kind: ProposalKind, content: InputObject): ProposalContent {
  switch (kind) {
    case 'law':
      return { kind, content: parseLawContent(content) };
    case 'article':
      return { kind, content: parseArticleContent(content) };
    case 'rule':
      return { kind, content: parseRuleContent(content) };
    case 'setting':
      return { kind, content: parseSettingContent(content) };
  }
}

/** Builds a new open proposal; it expires ttlDays after the transaction time. */
export function newProposal(input: ProposalInput, tx: TxFacts): Proposal {
  const { ttlDays, ...rest } = input;
  return {
    docType: 'proposal',
    ...rest,
    status: 'OPEN',
    proposedBy: tx.clientId,
    proposedByMsp: tx.mspId,
    proposedAt: tx.timestamp,
    expiresAt: new Date(Date.parse(tx.timestamp) + ttlDays * DAY_MS).toISOString(),
    txId: tx.txId,
  };
}

/** The scopes a proposal concerns: a rule's appliesTo, everything (`*`) for laws, articles, settings. */
export function proposalScopes(p: ProposalContent): string[] {
  return p.kind === 'rule' ? p.content.appliesTo : ['*'];
}

/** The id of what a proposal enacts (for an article `<lawId>/<articleId>`). */
export function proposalTargetId(p: ProposalContent): string {
  if (p.kind === 'article') return `${p.content.lawId}/${p.content.id}`;
  if (p.kind === 'setting') return p.content.name;
  return p.content.id;
}

/**
 * Types a parsed world-state value as a proposal.
 * @throws StateCorruptError when it is not one.
 */
export function asProposal(value: JsonObject, id: string): Proposal {
  if (value.docType !== 'proposal' || value.id !== id) {
    throw new StateCorruptError(`state under proposal ${id} is not a proposal`);
  }
  return value as unknown as Proposal;
}

/**
 * Types a parsed world-state value as a decision.
 * @throws StateCorruptError when it is not one.
 */
export function asDecision(value: JsonObject, what: string): Decision {
  if (value.docType !== 'decision' || (value.decision !== 'APPROVE' && value.decision !== 'REJECT')) {
    throw new StateCorruptError(`state of ${what} is not a decision`);
  }
  return value as unknown as Decision;
}
