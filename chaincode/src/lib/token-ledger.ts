import type { Context } from 'fabric-contract-api';
import type { Movement, MovementKind, Output } from '../model/token';
import { sha256Hex, unmarshal } from './canonical';
import { InsufficientFundsError, StateCorruptError } from './errors';
import { INDEX_VALUE } from './keys';
import { readPage } from './rules-engine-page';
import { versionAttr } from './rules-engine-keys';
import { formatAmount } from './token-amount';
import { bookPut, bookRange, bookRead, bookWrite, bookDelete, type Book } from './token-book';
import { TokenObjectType, tokenKey } from './token-keys';
import { appendPrivateTrail, appendTrail } from './trail';
import { txFacts } from './tx';

/**
 * Balances. A public account's balance is its unspent outputs: crediting writes a new output under
 * its own key; debiting reads the account's outputs (one bounded partial-key read), deletes as many
 * as the amount needs and writes the change back as one output. So a transfer touches only its
 * payer's outputs and new keys: transfers from distinct payers never conflict, whoever they pay.
 * A citizen's (private) account keeps one balance key in its collection instead, because Fabric
 * refuses range queries on private data in a transaction that writes ("Queries on pvt data is
 * supported only in a read-only transaction"): movements of distinct citizens still never share a
 * key, but two payments to one citizen in one block conflict (the second is invalidated).
 * Every movement is its own key, indexed by account, with its own audit trail entry (public
 * movements in the public trail, private ones in their collection).
 */

/** Most outputs one debit (and Consolidate) reads; a balance query reads every output, page by page. */
export const MAX_INPUTS = 100;

/** One payment of a move: `to` is undefined when the value leaves circulation (burn, deposit, voucher). */
export interface Credit {
  to?: string;
  amount: bigint;
}

/** A move: one debit of `from` (when set) for the sum of the credits, and one movement per credit. */
export interface MoveSpec {
  kind: MovementKind;
  book: Book;
  currency: string;
  from?: string;
  credits: Credit[];
  memo?: string;
  ref?: string;
  /** What the debit pays for, in the insufficient-funds message (e.g. `the fee of record R1`). */
  purpose?: string;
  /** Private book only: the transaction's salt (hex), mixed into every stored value. */
  salt?: string;
}

/** Per transaction: the next sequence, the accounts already debited, private balances written. */
interface TxState {
  seq: number;
  debited: Set<string>;
  /** Private balance key → the balance this transaction wrote (getPrivateData does not see it). */
  privateBalances: Map<string, bigint>;
}

const txState = new WeakMap<object, TxState>();

function stateOf(ctx: Context): TxState {
  let s = txState.get(ctx.stub);
  if (!s) {
    s = { seq: 0, debited: new Set(), privateBalances: new Map() };
    txState.set(ctx.stub, s);
  }
  return s;
}

/** The next sequence number of this transaction's movements and outputs. */
function nextSeq(ctx: Context): string {
  const s = stateOf(ctx);
  s.seq += 1;
  return versionAttr(s.seq);
}

/**
 * Performs a move in the current transaction.
 * @returns the movements written, in credit order.
 * @throws InsufficientFundsError when `from` holds less than the credits' sum (nothing written).
 */
export async function move(ctx: Context, spec: MoveSpec): Promise<Movement[]> {
  const total = spec.credits.reduce((sum, c) => sum + c.amount, 0n);
  if (spec.from !== undefined) {
    await debit(ctx, spec, spec.from, total);
  }
  const movements: Movement[] = [];
  for (const credit of spec.credits) {
    if (credit.to !== undefined) await writeOutput(ctx, spec, credit.to, credit.amount);
    movements.push(await writeMovement(ctx, spec, credit));
  }
  return movements;
}

/** An account's balance: the sum of at most {@link MAX_INPUTS} outputs; `complete` when that was all. */
export async function balanceOf(
  ctx: Context,
  book: Book,
  currency: string,
  accountId: string,
): Promise<{ balance: bigint; outputs: number; complete: boolean }> {
  if (book.collection !== undefined) {
    const balance = await readPrivateBalance(ctx, book, currency, accountId);
    return { balance, outputs: balance > 0n ? 1 : 0, complete: true };
  }
  const { entries, truncated } = await bookRange(
    ctx,
    book,
    TokenObjectType.output,
    [currency, accountId],
    MAX_INPUTS,
  );
  let balance = 0n;
  for (const e of entries) balance += BigInt(asOutput(e.value, e.key).amount);
  return { balance, outputs: entries.length, complete: !truncated };
}

/** Most pages of {@link MAX_INPUTS} outputs {@link wholeBalanceOf} reads (Fabric's default totalQueryLimit is 100,000 results). */
export const MAX_BALANCE_PAGES = 1000;

/**
 * A public account's whole balance for a query: every output, read a page of {@link MAX_INPUTS}
 * at a time with Fabric's paginated query, so Fabric refuses it in a transaction that writes
 * (evaluate only; a debit reads one page, {@link balanceOf}). A citizen's balance is its one key.
 * @returns `complete` false only past {@link MAX_BALANCE_PAGES} pages.
 */
export async function wholeBalanceOf(
  ctx: Context,
  book: Book,
  currency: string,
  accountId: string,
): Promise<{ balance: bigint; outputs: number; complete: boolean }> {
  if (book.collection !== undefined) return balanceOf(ctx, book, currency, accountId);
  let balance = 0n;
  let outputs = 0;
  let bookmark = '';
  for (let pages = 0; pages < MAX_BALANCE_PAGES; pages++) {
    const page = await readPage(
      ctx,
      TokenObjectType.output,
      [currency, accountId],
      MAX_INPUTS,
      bookmark,
      (key, value) => BigInt(asOutput(value, key).amount),
    );
    for (const amount of page.items) balance += amount;
    outputs += page.items.length;
    if (page.bookmark === '' || page.items.length < MAX_INPUTS) return { balance, outputs, complete: true };
    bookmark = page.bookmark;
  }
  return { balance, outputs, complete: false };
}

/** Deletes enough of `account`'s outputs to cover `amount` and writes the change back. */
async function debit(ctx: Context, spec: MoveSpec, account: string, amount: bigint): Promise<void> {
  const s = stateOf(ctx);
  if (s.debited.has(account)) {
    // getState does not see this transaction's deletes: a second debit could spend an output twice
    throw new StateCorruptError(`account ${account} is debited twice in one transaction`);
  }
  s.debited.add(account);
  if (spec.book.collection !== undefined) {
    const held = await readPrivateBalance(ctx, spec.book, spec.currency, account);
    if (held < amount) throw new InsufficientFundsError(shortfallMessage(spec, account, amount, held, false));
    await writePrivateBalance(ctx, spec, account, held - amount);
    return;
  }
  const { book, currency } = spec;
  const { entries, truncated } = await bookRange(
    ctx,
    book,
    TokenObjectType.output,
    [currency, account],
    MAX_INPUTS,
  );
  let covered = 0n;
  const used: string[] = [];
  for (const e of entries) {
    if (covered >= amount) break;
    covered += BigInt(asOutput(e.value, e.key).amount);
    used.push(e.key);
  }
  if (covered < amount) {
    throw new InsufficientFundsError(shortfallMessage(spec, account, amount, covered, truncated));
  }
  for (const key of used) await bookDelete(ctx, book, key);
  if (covered > amount) await writeOutput(ctx, spec, account, covered - amount);
}

/** The insufficient-funds message: account, amount needed, balance, shortfall. */
function shortfallMessage(
  spec: MoveSpec,
  account: string,
  amount: bigint,
  covered: bigint,
  truncated: boolean,
): string {
  const what = spec.purpose ? ` for ${spec.purpose}` : '';
  const held = truncated
    ? `its first ${MAX_INPUTS} outputs hold ${covered} (run token:Consolidate to merge them)`
    : `it holds ${covered}`;
  return (
    `insufficient funds in account ${account}: ${amount} ${spec.currency} minor units are needed${what}, ` +
    `${held}: short by ${amount - covered}`
  );
}

/** Credits `account`: a new output (public) or a higher balance (private). */
async function writeOutput(ctx: Context, spec: MoveSpec, account: string, amount: bigint): Promise<void> {
  if (spec.book.collection !== undefined) {
    const held = await readPrivateBalance(ctx, spec.book, spec.currency, account);
    await writePrivateBalance(ctx, spec, account, held + amount);
    return;
  }
  const { txId } = txFacts(ctx);
  const key = tokenKey(ctx, TokenObjectType.output, [spec.currency, account, txId, nextSeq(ctx)]);
  const output: Output & { salt?: string } = {
    docType: 'output',
    accountId: account,
    currency: spec.currency,
    amount: formatAmount(amount),
    txId,
    ...saltFor(spec, key),
  };
  await bookWrite(ctx, spec.book, key, output);
}

/** Writes a movement, its account index entries and its trail entry. */
async function writeMovement(ctx: Context, spec: MoveSpec, credit: Credit): Promise<Movement> {
  const tx = txFacts(ctx);
  const seq = nextSeq(ctx);
  const key = tokenKey(ctx, TokenObjectType.movement, [tx.txId, seq]);
  const movement: Movement = {
    docType: 'movement',
    id: `${tx.txId}.${seq}`,
    kind: spec.kind,
    currency: spec.currency,
    amount: formatAmount(credit.amount),
    ...(spec.from === undefined ? {} : { from: spec.from }),
    ...(credit.to === undefined ? {} : { to: credit.to }),
    ...(spec.memo === undefined ? {} : { memo: spec.memo }),
    ...(spec.ref === undefined ? {} : { ref: spec.ref }),
    by: tx.clientId,
    byMsp: tx.mspId,
    at: tx.timestamp,
    txId: tx.txId,
  };
  await bookWrite(ctx, spec.book, key, { ...movement, ...saltFor(spec, key) });
  for (const account of new Set([spec.from, credit.to])) {
    if (account === undefined) continue;
    const indexKey = tokenKey(ctx, TokenObjectType.accountIndex, [account, tx.timestamp, tx.txId, seq]);
    await bookPut(ctx, spec.book, indexKey, INDEX_VALUE);
  }
  const details = {
    kind: movement.kind,
    currency: movement.currency,
    amount: movement.amount,
    ...(movement.from === undefined ? {} : { from: movement.from }),
    ...(movement.to === undefined ? {} : { to: movement.to }),
    ...(movement.ref === undefined ? {} : { ref: movement.ref }),
  };
  const action = `TOKEN_${movement.kind}`;
  if (spec.book.collection === undefined) {
    await appendTrail(ctx, 'movement', movement.id, action, details);
  } else {
    await appendPrivateTrail(ctx, spec.book.collection, 'movement', movement.id, action, details);
  }
  return movement;
}

/** Key of a citizen's balance in its collection. */
function privateBalanceKey(ctx: Context, currency: string, accountId: string): string {
  return tokenKey(ctx, TokenObjectType.privateBalance, [currency, accountId]);
}

/** A citizen's balance: as this transaction last wrote it, else as committed. */
async function readPrivateBalance(
  ctx: Context,
  book: Book,
  currency: string,
  accountId: string,
): Promise<bigint> {
  const key = privateBalanceKey(ctx, currency, accountId);
  const pending = stateOf(ctx).privateBalances.get(key);
  if (pending !== undefined) return pending;
  const value = await bookRead(ctx, book, key, `balance of ${accountId}`);
  if (value === undefined) return 0n;
  if (value.docType !== 'privateBalance' || typeof value.balance !== 'string') {
    throw new StateCorruptError(`state under the balance of ${accountId} is not a balance`);
  }
  return BigInt(value.balance);
}

/** Writes a citizen's balance. */
async function writePrivateBalance(
  ctx: Context,
  spec: MoveSpec,
  accountId: string,
  balance: bigint,
): Promise<void> {
  const key = privateBalanceKey(ctx, spec.currency, accountId);
  stateOf(ctx).privateBalances.set(key, balance);
  const value = {
    docType: 'privateBalance',
    accountId,
    currency: spec.currency,
    balance: formatAmount(balance),
    txId: txFacts(ctx).txId,
    ...saltFor(spec, key),
  };
  await bookWrite(ctx, spec.book, key, value);
}

/** A private value's own salt (derived from the transaction's salt and its key), so its hash on the channel reveals nothing. */
function saltFor(spec: MoveSpec, key: string): { salt?: string } {
  if (spec.book.collection === undefined) return {};
  if (spec.salt === undefined) throw new StateCorruptError('a private movement needs the transaction salt');
  return { salt: sha256Hex(`${spec.salt}|${key}`) };
}

/**
 * Types stored bytes as an output.
 * @throws StateCorruptError when they are not one.
 */
export function asOutput(bytes: Uint8Array, key: string): Output {
  const value = unmarshal(bytes, `output ${JSON.stringify(key)}`);
  if (value.docType !== 'output' || typeof value.amount !== 'string') {
    throw new StateCorruptError(`state under output ${JSON.stringify(key)} is not an output`);
  }
  return value as unknown as Output;
}
