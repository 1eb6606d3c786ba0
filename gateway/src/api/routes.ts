import { z } from 'zod';
import * as r from './responses';
import { registerRecordSchema, amendRecordSchema } from '../records/schema';
import * as audit from '../routes/audit';
import * as authorities from '../routes/authorities';
import * as currency from '../routes/currency';
import * as governance from '../routes/governance';
import * as offline from '../routes/offline';
import * as records from '../routes/records';
import * as rules from '../routes/rules';
import * as schemas from '../routes/schemas';
import { txParams } from '../routes/transactions';
import { eventsQuery } from '../routes/events';
import { listVerificationsQuery, verifyBody } from '../verify/schema';

/** HTTP methods the API uses. */
export type ApiMethod = 'get' | 'post';

/**
 * One route of the HTTP API, described by the zod schemas its handler validates with: the
 * OpenAPI document, the route-coverage test and the fuzz suite all read {@link API_ROUTES}.
 */
export interface ApiRoute {
  method: ApiMethod;
  /** Express path pattern (`/api/v1/records/:id`). */
  path: string;
  summary: string;
  /** OpenAPI tag (the group of routes). */
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Needs `Authorization: Bearer <GATEWAY_ADMIN_TOKEN>`; signed as the ministry's admin. */
  admin?: boolean;
  /** Submits a transaction (changes the ledger when it succeeds). */
  writes: boolean;
  /** Status of a successful answer. */
  success: 200 | 201;
  /** Body of a successful answer (for `stream` routes: the data of each event). */
  response: z.ZodType;
  /** Answers `text/event-stream` instead of JSON. */
  stream?: true;
}

/** A route before its response is attached from {@link RESPONSES}. */
type RouteSpec = Omit<ApiRoute, 'response'>;

const get = (
  path: string,
  tag: string,
  summary: string,
  schemas: Pick<RouteSpec, 'params' | 'query' | 'stream'> = {},
): RouteSpec => ({ method: 'get', path, tag, summary, writes: false, success: 200, ...schemas });

const post = (
  path: string,
  tag: string,
  summary: string,
  rest: Partial<RouteSpec> & Pick<RouteSpec, 'success'>,
): RouteSpec => ({ method: 'post', path, tag, summary, writes: true, ...rest });

const R = '/api/v1/records';
const S = '/api/v1/schemas';
const G = '/api/v1/governance';
const RU = '/api/v1/rules';
const A = '/api/v1/authorities';
const AU = '/api/v1/audit';
const O = '/api/v1/offline';
const C = '/api/v1/currency';

const ROUTES: readonly RouteSpec[] = [
  get(R, 'records', 'List records by issuer, type or status, one page at a time', {
    query: records.listQuery,
  }),
  post(R, 'records', 'Register a record (personal fields go to the transient map)', {
    query: records.registerQuery,
    body: registerRecordSchema,
    success: 201,
  }),
  get(`${R}/verify/:hash`, 'records', 'Verify a document by its hash (404 when unknown)', {
    params: records.hashParams,
  }),
  get(`${R}/:id`, 'records', 'A record', { params: records.idParams }),
  get(`${R}/:id/history`, 'records', "A record's history", { params: records.idParams }),
  get(`${R}/:id/verify`, 'records', 'Verify a record by id (404 when unknown)', { params: records.idParams }),
  get(`${R}/:id/personal`, 'records', "A record's personal data (issuing ministry only)", {
    params: records.idParams,
  }),
  get(`${R}/:id/personal/verify`, 'records', "Check a record's personal data against its hash", {
    params: records.idParams,
  }),
  post(`${R}/:id/amend`, 'records', 'Amend a record (a new version under a new id)', {
    params: records.idParams,
    body: amendRecordSchema,
    success: 201,
  }),
  ...(['suspend', 'reinstate', 'revoke'] as const).map((action) =>
    post(`${R}/:id/${action}`, 'records', `${action[0].toUpperCase()}${action.slice(1)} a record`, {
      params: records.idParams,
      body: records.reasonBody,
      success: 200,
    }),
  ),
  post(S, 'schemas', 'Register a record schema', { body: schemas.registerBody, admin: true, success: 201 }),
  get(`${S}/:recordType/versions`, 'schemas', "A record type's schema versions", {
    params: schemas.typeParams,
  }),
  get(`${S}/:recordType`, 'schemas', "A record type's schema", {
    params: schemas.typeParams,
    query: schemas.versionQuery,
  }),
  post(`${G}/ministries`, 'governance', 'Register this ministry for governance', {
    admin: true,
    success: 201,
  }),
  get(`${G}/ministries`, 'governance', 'The ministries registered for governance'),
  post(`${G}/proposals`, 'governance', 'Propose a law, article, rule or setting', {
    body: governance.proposeBody,
    admin: true,
    success: 201,
  }),
  ...(['approve', 'reject'] as const).map((action) =>
    post(
      `${G}/proposals/:id/${action}`,
      'governance',
      `${action === 'approve' ? 'Approve' : 'Reject'} a proposal`,
      {
        params: governance.idParams,
        admin: true,
        success: 200,
      },
    ),
  ),
  post(`${G}/proposals/:id/tally`, 'governance', 'Tally a proposal (enacts or rejects it when decided)', {
    params: governance.idParams,
    success: 200,
  }),
  get(`${G}/proposals`, 'governance', 'List proposals, one page at a time', { query: governance.listQuery }),
  get(`${G}/proposals/:id`, 'governance', 'A proposal', { params: governance.idParams }),
  get(`${G}/settings/:name`, 'governance', 'A governance setting', { params: governance.settingParams }),
  get(`${RU}/laws`, 'rules', 'List laws, one page at a time', { query: rules.pageQuery }),
  get(`${RU}/laws/:lawId/tree`, 'rules', "A law's tree in force at a time", {
    params: rules.lawParams,
    query: rules.atQuery,
  }),
  get(`${RU}/versions`, 'rules', 'Versions of a law, article or rule', { query: rules.versionedQuery }),
  get(`${RU}/in-force`, 'rules', 'The version in force at a time', { query: rules.versionedQuery }),
  get(`${RU}/for-record-type`, 'rules', 'Rules applying to a record type', { query: rules.forTypeQuery }),
  post(`${RU}/evaluate`, 'rules', 'Dry-run the rules on a record (changes nothing)', {
    body: rules.evaluateBody,
    writes: false,
    success: 200,
  }),
  get(`${RU}/:ruleId`, 'rules', "A rule's newest version", { params: rules.ruleParams }),
  get(`${A}/me`, 'authorities', "The gateway's identity (user or admin)", { query: authorities.meQuery }),
  post(`${A}/grants`, 'authorities', 'Grant a role', {
    body: authorities.grantBody,
    admin: true,
    success: 201,
  }),
  post(`${A}/grants/:grantId/revoke`, 'authorities', 'Revoke a role grant', {
    params: authorities.grantParams,
    body: authorities.revokeBody,
    admin: true,
    success: 200,
  }),
  get(`${A}/grants`, 'authorities', "List a ministry's grants, one page at a time", {
    query: authorities.listQuery,
  }),
  get(`${A}/grants/:grantId`, 'authorities', 'A role grant', { params: authorities.grantParams }),
  get(`${A}/check`, 'authorities', 'Whether the gateway identity holds a role for a scope', {
    query: authorities.checkQuery,
  }),
  get(`${A}/auditors`, 'authorities', 'Who may audit records of a type and issuer', {
    query: authorities.auditorsQuery,
  }),
  get(
    '/api/v1/transactions/:txId',
    'transactions',
    "A transaction's status from the ledger (poll after a 202)",
    {
      params: txParams,
    },
  ),
  get(
    '/api/v1/events',
    'events',
    'Server-sent events: chaincode events (and block heights), resumable with Last-Event-ID',
    { query: eventsQuery, stream: true },
  ),
  get(`${AU}/policies`, 'audit', 'Audit policies in force for a record type', { query: audit.policiesQuery }),
  post(`${AU}/cases`, 'audit', 'Open an audit case (inquiry) on a record', {
    body: audit.openBody,
    success: 201,
  }),
  get(`${AU}/cases`, 'audit', "A ministry's audit cases opened in a window, one page at a time", {
    query: audit.casesQuery,
  }),
  get(`${AU}/cases/:caseId`, 'audit', 'An audit case with its decisions and tally', {
    params: audit.caseParams,
  }),
  get(`${AU}/cases/:caseId/auditors`, 'audit', 'The auditors eligible to decide a case', {
    params: audit.caseParams,
  }),
  post(`${AU}/cases/:caseId/approve`, 'audit', 'Approve an audit case', {
    params: audit.caseParams,
    body: audit.decisionBody,
    success: 200,
  }),
  post(`${AU}/cases/:caseId/reject`, 'audit', 'Reject an audit case', {
    params: audit.caseParams,
    body: audit.decisionBody,
    success: 200,
  }),
  post(`${AU}/cases/:caseId/expire`, 'audit', 'Record that a case passed its deadline', {
    params: audit.caseParams,
    success: 200,
  }),
  get(`${AU}/records/:recordId/trail`, 'audit', "A record's audit trail, one page at a time", {
    params: audit.recordParams,
    query: audit.trailPageQuery,
  }),
  get(`${AU}/trail`, 'audit', "Trail entries of a ministry's identities (or one identity) in a window", {
    query: audit.trailQuery,
  }),
  get(`${AU}/trail/:targetType/:targetId`, 'audit', "A target's audit trail, one page at a time", {
    params: audit.targetParams,
    query: audit.trailPageQuery,
  }),
  get(`${AU}/trail/:targetType/:targetId/verify`, 'audit', "Verify a target's hash chain", {
    params: audit.targetParams,
  }),
  get(`${AU}/reports/:mspId`, 'audit', "A ministry's audit report for a window (JSON or CSV)", {
    params: audit.reportParams,
    query: audit.reportQuery,
  }),
  post(
    `${O}/proposals`,
    'offline signing',
    'An unsigned proposal for your certificate: its bytes and the digest to sign',
    {
      body: offline.proposeBody,
      writes: false,
      success: 200,
    },
  ),
  post(`${O}/evaluations`, 'offline signing', 'Evaluate a proposal you signed; the result (base64)', {
    body: offline.signedProposalBody,
    writes: false,
    success: 200,
  }),
  post(
    `${O}/endorsements`,
    'offline signing',
    'Endorse a proposal you signed; the transaction and the digest to sign',
    {
      body: offline.signedProposalBody,
      writes: false,
      success: 200,
    },
  ),
  post(
    `${O}/submissions`,
    'offline signing',
    'Submit a transaction you signed; the commit status request and the digest to sign',
    {
      body: offline.signedTransactionBody,
      success: 200,
    },
  ),
  post(
    `${O}/commits`,
    'offline signing',
    'The commit status of a submitted transaction (commit status request you signed)',
    {
      body: offline.signedCommitBody,
      success: 200,
    },
  ),
  get(C, 'currency', 'The currency: its supply policy, minted, burned and outstanding'),
  post(`${C}/mint`, 'currency', 'Mint (central bank currency issuers)', {
    body: currency.mintBody,
    success: 201,
  }),
  post(`${C}/burn`, 'currency', "Burn from the central bank's treasury", {
    body: currency.burnBody,
    success: 201,
  }),
  post(
    `${C}/transfers`,
    'currency',
    "Transfer between public accounts, or between one ministry's citizens (private)",
    {
      body: currency.transferBody,
      success: 201,
    },
  ),
  post(`${C}/allowances`, 'currency', 'Set what a spender may move from an account', {
    body: currency.approveBody,
    success: 201,
  }),
  get(`${C}/allowances`, 'currency', 'An allowance', { query: currency.allowanceQuery }),
  post(`${C}/transfer-from`, 'currency', 'Transfer within an allowance', {
    body: currency.transferFromBody,
    success: 201,
  }),
  get(
    `${C}/accounts/:accountId/balance`,
    'currency',
    "An account's balance (citizens: their ministry or the central bank)",
    {
      params: currency.accountParams,
    },
  ),
  get(`${C}/accounts/:accountId/movements`, 'currency', "An account's movements, one page at a time", {
    params: currency.accountParams,
    query: currency.movementsQuery,
  }),
  post(`${C}/accounts/:accountId/consolidate`, 'currency', "Merge an account's outputs into one", {
    params: currency.accountParams,
    success: 200,
  }),
  get(`${C}/movements/:movementId`, 'currency', 'A public movement', { params: currency.movementParams }),
  post(
    `${C}/deposits`,
    'currency',
    "Deposit from a public account into a citizen's account (salted commitment)",
    {
      body: currency.depositBody,
      success: 201,
    },
  ),
  post(`${C}/deposits/:depositId/claim`, 'currency', "Credit a deposit to the citizen's account (private)", {
    params: currency.depositParams,
    body: currency.claimBody,
    success: 201,
  }),
  post(`${C}/withdrawals`, 'currency', "Take an amount out of a citizen's account as a voucher (private)", {
    body: currency.withdrawBody,
    success: 201,
  }),
  post(`${C}/redemptions`, 'currency', 'Redeem a voucher into its public account', {
    body: currency.redeemBody,
    success: 201,
  }),
  post(`${C}/rates`, 'currency', 'Publish an exchange rate (central bank)', {
    body: currency.rateBody,
    success: 201,
  }),
  get(`${C}/rates/:quote`, 'currency', 'The exchange rate in force', {
    params: currency.quoteParams,
    query: currency.rateQuery,
  }),
  post(`${C}/conversions`, 'currency', 'Record a conversion at the rate in force (central bank)', {
    body: currency.conversionBody,
    success: 201,
  }),
  get(`${C}/conversions/:id`, 'currency', 'A recorded conversion', { params: currency.conversionParams }),
  post(
    '/api/v1/verifications',
    'verifications',
    'Verify a document (record id and hash) or a record, logged on the ledger; public without credentials (200 with outcome NOT_FOUND when unknown)',
    { body: verifyBody, success: 200 },
  ),
  get(
    '/api/v1/verifications',
    'verifications',
    "Who verified a subject's records, and when (issuing ministry only)",
    {
      query: listVerificationsQuery,
    },
  ),
];

/** Success bodies by `METHOD path`. */
export const RESPONSES: Record<string, z.ZodType> = {
  [`GET ${R}`]: r.page(r.recordSchema),
  [`POST ${R}`]: r.registrationSchema,
  [`GET ${R}/verify/:hash`]: r.verificationSchema,
  [`GET ${R}/:id`]: r.recordSchema,
  [`GET ${R}/:id/history`]: r.historySchema,
  [`GET ${R}/:id/verify`]: r.verificationSchema,
  [`GET ${R}/:id/personal`]: r.personalSchema,
  [`GET ${R}/:id/personal/verify`]: r.personalCheckSchema,
  [`POST ${R}/:id/amend`]: r.registeredSchema,
  [`POST ${R}/:id/suspend`]: r.statusChangeSchema,
  [`POST ${R}/:id/reinstate`]: r.statusChangeSchema,
  [`POST ${R}/:id/revoke`]: r.statusChangeSchema,
  [`POST ${S}`]: r.schemaRegisteredSchema,
  [`GET ${S}/:recordType/versions`]: r.schemaVersionsSchema,
  [`GET ${S}/:recordType`]: r.schemaVersionSchema,
  [`POST ${G}/ministries`]: r.committed({}),
  [`GET ${G}/ministries`]: r.ministriesSchema,
  [`POST ${G}/proposals`]: r.committed({ id: z.string(), kind: z.string(), status: z.string() }),
  [`POST ${G}/proposals/:id/approve`]: r.committed({}),
  [`POST ${G}/proposals/:id/reject`]: r.committed({}),
  [`POST ${G}/proposals/:id/tally`]: r.committed({ id: z.string(), status: z.string() }),
  [`GET ${G}/proposals`]: r.page(r.proposalSchema),
  [`GET ${G}/proposals/:id`]: z.looseObject({ proposal: r.proposalSchema, decisions: z.array(r.openObject) }),
  [`GET ${G}/settings/:name`]: z.looseObject({
    name: z.string(),
    isDefault: z.boolean(),
    versions: z.array(z.unknown()),
  }),
  [`GET ${RU}/laws`]: r.page(r.openObject),
  [`GET ${RU}/laws/:lawId/tree`]: r.openObject,
  [`GET ${RU}/versions`]: z.looseObject({ kind: z.string(), id: z.string(), versions: z.array(z.unknown()) }),
  [`GET ${RU}/in-force`]: r.openObject,
  [`GET ${RU}/for-record-type`]: z.array(r.openObject),
  [`POST ${RU}/evaluate`]: z.looseObject({ legalBasis: z.array(z.unknown()) }),
  [`GET ${RU}/:ruleId`]: r.openObject,
  [`GET ${A}/me`]: r.callerSchema,
  [`POST ${A}/grants`]: r.committed(r.grantSchema.shape),
  [`POST ${A}/grants/:grantId/revoke`]: r.committed(r.grantSchema.shape),
  [`GET ${A}/grants`]: r.page(r.grantSchema),
  [`GET ${A}/grants/:grantId`]: r.grantSchema,
  [`GET ${A}/check`]: r.grantSchema,
  [`GET ${A}/auditors`]: z.looseObject({ auditors: z.array(z.unknown()), truncated: z.boolean() }),
  ['GET /api/v1/transactions/:txId']: r.transactionStatusSchema,
  ['GET /api/v1/events']: r.chaincodeEventSchema,
  [`GET ${AU}/policies`]: z.looseObject({ policies: z.array(z.unknown()) }),
  [`POST ${AU}/cases`]: r.committed({ caseId: z.string(), recordId: z.string(), status: z.string() }),
  [`GET ${AU}/cases`]: r.page(r.auditCaseSchema),
  [`GET ${AU}/cases/:caseId`]: r.caseViewSchema,
  [`GET ${AU}/cases/:caseId/auditors`]: z.looseObject({ caseId: z.string(), auditors: z.array(z.unknown()) }),
  [`POST ${AU}/cases/:caseId/approve`]: r.decisionSchema,
  [`POST ${AU}/cases/:caseId/reject`]: r.decisionSchema,
  [`POST ${AU}/cases/:caseId/expire`]: r.decisionSchema,
  [`GET ${AU}/records/:recordId/trail`]: r.page(r.trailEntrySchema),
  [`GET ${AU}/trail`]: r.page(r.trailIndexEntrySchema),
  [`GET ${AU}/trail/:targetType/:targetId`]: r.page(r.trailEntrySchema),
  [`GET ${AU}/trail/:targetType/:targetId/verify`]: r.trailVerificationSchema,
  [`GET ${AU}/reports/:mspId`]: r.openObject,
  [`POST ${O}/proposals`]: r.toSign('proposal'),
  [`POST ${O}/evaluations`]: z.looseObject({ transactionId: z.string(), result: z.base64() }),
  [`POST ${O}/endorsements`]: r.toSign('transaction').extend({ result: z.base64() }),
  [`POST ${O}/submissions`]: r.toSign('commit'),
  [`POST ${O}/commits`]: r.offlineCommitSchema,
  [`GET ${C}`]: r.currencyInfoSchema,
  [`POST ${C}/mint`]: r.movedSchema,
  [`POST ${C}/burn`]: r.movedSchema,
  [`POST ${C}/transfers`]: r.transferredSchema,
  [`POST ${C}/allowances`]: r.committed(r.allowanceSchema.shape),
  [`GET ${C}/allowances`]: r.allowanceSchema,
  [`POST ${C}/transfer-from`]: r.movedSchema,
  [`GET ${C}/accounts/:accountId/balance`]: r.balanceSchema,
  [`GET ${C}/accounts/:accountId/movements`]: r.page(r.movementSchema),
  [`POST ${C}/accounts/:accountId/consolidate`]: r.movedSchema,
  [`GET ${C}/movements/:movementId`]: r.movementSchema,
  [`POST ${C}/deposits`]: r.depositSchema,
  [`POST ${C}/deposits/:depositId/claim`]: r.privateTxSchema,
  [`POST ${C}/withdrawals`]: r.withdrawalSchema,
  [`POST ${C}/redemptions`]: r.movedSchema,
  [`POST ${C}/rates`]: r.committed(r.exchangeRateSchema.shape),
  [`GET ${C}/rates/:quote`]: r.exchangeRateSchema,
  [`POST ${C}/conversions`]: r.committed(r.conversionSchema.shape),
  [`GET ${C}/conversions/:id`]: r.conversionSchema,
  ['POST /api/v1/verifications']: r.documentVerificationSchema,
  ['GET /api/v1/verifications']: r.page(r.openObject),
};

/** `GET /api/v1/records/:id` */
export function routeKey(route: Pick<ApiRoute, 'method' | 'path'>): string {
  return `${route.method.toUpperCase()} ${route.path}`;
}

/** Every route of the HTTP API but the operational ones (health, metrics, description). */
export const API_ROUTES: readonly ApiRoute[] = ROUTES.map((route) => {
  // A route landed without an entry above gets a generic description (a committed transaction's
  // fields for writes, an object for reads) rather than failing the module's load; routes.test.ts
  // asks for an entry of its own.
  const response = RESPONSES[routeKey(route)] ?? (route.writes ? r.committed({}) : r.openObject);
  return { ...route, response };
});
