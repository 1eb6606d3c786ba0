import { Context, Contract, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { requireAccountControl, requireCurrencyIssuer, requirePrivateReader } from '../lib/authz-token';
import { canonicalJson, sha256Hex, type JsonObject } from '../lib/canonical';
import { readTransientSalt } from '../lib/commitment';
import {
  AlreadyExistsError,
  InsufficientFundsError,
  InvalidArgumentError,
  LimitExceededError,
  NotFoundError,
} from '../lib/errors';
import { EventName, emitEvent } from '../lib/events';
import { checkArgument, InputObject, isJsonObject } from '../lib/input';
import { parsePageSize, readPage } from '../lib/rules-engine-page';
import { versionAttr } from '../lib/rules-engine-keys';
import { readObject, writeObject } from '../lib/state';
import { formatAmount, parseAmount } from '../lib/token-amount';
import { bookRange, bookRead, bookWrite, PUBLIC_BOOK, type Book } from '../lib/token-book';
import { checkBookmark } from '../lib/query';
import { TokenObjectType, tokenKey } from '../lib/token-keys';
import { balanceOf, move, wholeBalanceOf } from '../lib/token-ledger';
import { readSupply, requireCurrency, supplyKey } from '../lib/token-policy';
import { convert, parseConversionInput, parseRate, readRateAt, readRateHead } from '../lib/token-rates';
import { redeemVoucher, voucherKey } from '../lib/token-vouchers';
import { appendTrail } from '../lib/trail';
import { txFacts } from '../lib/tx';
import {
  ACCOUNT_ID_PATTERN,
  ACCOUNT_ID_RULE,
  accountsCollection,
  CENTRAL_BANK_MSP,
  CURRENCY_CODE_PATTERN,
  CURRENCY_CODE_RULE,
  MEMO_PATTERN,
  MOVEMENT_ID_PATTERN,
  parseAccountId,
  TRANSIENT_TOKEN_KEY,
  treasuryAccountId,
  type AccountRef,
  type Allowance,
  type BalanceResult,
  type ClaimInstruction,
  type Conversion,
  type CurrencyInfo,
  type Deposit,
  type ExchangeRate,
  type Movement,
  type MovementResult,
  type Voucher,
} from '../model/token';
import {
  parseAccountField,
  parsePublicAccount,
  parseVoucherProof,
  TOKEN_SALT_PATTERN,
} from '../model/token-input';

/** Most index entries ListPrivateMovements reads. */
const MAX_PRIVATE_SCAN = 1000;
/** A commitment or transaction id: 64 lower-case hex characters. */
const HEX64_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The `token` contract: the central bank's digital currency. The central bank's currency issuers
 * mint and burn within the supply policy enacted through governance (setting `currency`);
 * ministries, officers and citizens hold accounts; public accounts transfer and grant allowances
 * in world state; citizens' accounts live in their ministry's `accounts<MSP>` collection and move
 * only in private transactions (instruction in the transient map), crossing to and from public
 * accounts through deposits and vouchers. Balances are unspent outputs (no hot key). The central
 * bank also publishes exchange rates and records conversions.
 */
@Info({ title: 'token', description: 'Government digital currency: issuance, accounts, transfers, rates' })
export class TokenContract extends Contract {
  constructor() {
    super('token');
  }

  /** The supply policy and the issued totals. @returns canonical JSON CurrencyInfo. */
  @Transaction(false)
  @Returns('CurrencyInfo')
  async GetCurrency(ctx: Context): Promise<string> {
    const setting = await requireCurrency(ctx).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    const supply = setting ? await readSupply(ctx, setting.code) : undefined;
    const minted = BigInt(supply?.minted ?? '0');
    const burned = BigInt(supply?.burned ?? '0');
    const info: CurrencyInfo = {
      policy: setting,
      minted: formatAmount(minted),
      burned: formatAmount(burned),
      outstanding: formatAmount(minted - burned),
    };
    return canonicalJson(info);
  }

  /**
   * Issues new money into a public account (default the central bank's treasury), within the
   * supply policy's maxSupply. Caller: a currency issuer of the central bank.
   * @returns canonical JSON MovementResult; event `TokenMoved`.
   */
  @Transaction()
  @Param('amount', 'string', 'amount in minor units, a positive decimal integer')
  @Param('to', 'string', "credited public account; '' = treasury:CentralBankMSP")
  @Param('memo', 'string', "free text on chain, never personal data; '' = none")
  @Returns('MovementResult')
  async Mint(ctx: Context, amount: string, to: string, memo: string): Promise<string> {
    await requireCurrencyIssuer(ctx, 'Mint');
    const policy = await requireCurrency(ctx);
    const value = parseAmount('amount', amount);
    const target = to === '' ? treasuryAccountId(CENTRAL_BANK_MSP) : checkPublic('to', to).id;
    const note = checkMemo(memo);
    const supply = await readSupply(ctx, policy.code);
    const outstanding = BigInt(supply.minted) - BigInt(supply.burned);
    if (outstanding + value > BigInt(policy.maxSupply)) {
      throw new InvalidArgumentError(
        `minting ${value} ${policy.code} minor units would bring the outstanding supply to ${outstanding + value}, ` +
          `above the supply policy's maxSupply ${policy.maxSupply} (${outstanding} outstanding)`,
      );
    }
    await writeObject(ctx, supplyKey(ctx, policy.code), {
      ...supply,
      minted: formatAmount(BigInt(supply.minted) + value),
    });
    const movements = await move(ctx, {
      kind: 'MINT',
      book: PUBLIC_BOOK,
      currency: policy.code,
      credits: [{ to: target, amount: value }],
      ...note,
    });
    return moved(ctx, movements);
  }

  /**
   * Withdraws money from circulation, out of the central bank's treasury. Caller: a currency issuer.
   * @returns canonical JSON MovementResult; event `TokenMoved`.
   */
  @Transaction()
  @Param('amount', 'string', 'amount in minor units, taken from treasury:CentralBankMSP')
  @Param('memo', 'string', "free text on chain; '' = none")
  @Returns('MovementResult')
  async Burn(ctx: Context, amount: string, memo: string): Promise<string> {
    await requireCurrencyIssuer(ctx, 'Burn');
    const policy = await requireCurrency(ctx);
    const value = parseAmount('amount', amount);
    const note = checkMemo(memo);
    const supply = await readSupply(ctx, policy.code);
    const movements = await move(ctx, {
      kind: 'BURN',
      book: PUBLIC_BOOK,
      currency: policy.code,
      from: treasuryAccountId(CENTRAL_BANK_MSP),
      credits: [{ amount: value }],
      purpose: 'the burn',
      ...note,
    });
    await writeObject(ctx, supplyKey(ctx, policy.code), {
      ...supply,
      burned: formatAmount(BigInt(supply.burned) + value),
    });
    return moved(ctx, movements);
  }

  /**
   * Moves money between public accounts; the caller operates `from`.
   * @returns canonical JSON MovementResult; event `TokenMoved`.
   */
  @Transaction()
  @Param('from', 'string', 'debited public account (the caller controls it)')
  @Param('to', 'string', 'credited public account')
  @Param('amount', 'string', 'amount in minor units')
  @Param('memo', 'string', "free text on chain; '' = none")
  @Returns('MovementResult')
  async Transfer(ctx: Context, from: string, to: string, amount: string, memo: string): Promise<string> {
    const payer = checkPublic('from', from);
    const payee = checkPublic('to', to);
    const value = parseAmount('amount', amount);
    const note = checkMemo(memo);
    if (payer.id === payee.id) throw new InvalidArgumentError('from and to must be different accounts');
    await requireAccountControl(ctx, payer, 'spend from it');
    const policy = await requireCurrency(ctx);
    const movements = await move(ctx, {
      kind: 'TRANSFER',
      book: PUBLIC_BOOK,
      currency: policy.code,
      from: payer.id,
      credits: [{ to: payee.id, amount: value }],
      purpose: 'the transfer',
      ...note,
    });
    return moved(ctx, movements);
  }

  /**
   * Sets how much `spender` may move out of `owner` with TransferFrom (replaces the previous
   * allowance; "0" withdraws it). The caller operates `owner`.
   * @returns canonical JSON Allowance.
   */
  @Transaction()
  @Param('owner', 'string', 'public account the allowance is on (the caller controls it)')
  @Param('spender', 'string', 'public account allowed to move from it')
  @Param('amount', 'string', 'what the spender may move, in minor units')
  @Returns('Allowance')
  async Approve(ctx: Context, owner: string, spender: string, amount: string): Promise<string> {
    const ownerRef = checkPublic('owner', owner);
    const spenderRef = checkPublic('spender', spender);
    const value = parseAmount('amount', amount, 0n);
    if (ownerRef.id === spenderRef.id)
      throw new InvalidArgumentError('owner and spender must be different accounts');
    await requireAccountControl(ctx, ownerRef, 'approve spending from it');
    const policy = await requireCurrency(ctx);
    const tx = txFacts(ctx);
    const allowance: Allowance = {
      docType: 'allowance',
      currency: policy.code,
      owner: ownerRef.id,
      spender: spenderRef.id,
      amount: formatAmount(value),
      at: tx.timestamp,
      txId: tx.txId,
    };
    await writeObject(ctx, allowanceKey(ctx, policy.code, ownerRef.id, spenderRef.id), allowance);
    await appendTrail(ctx, 'movement', `${tx.txId}.allowance`, 'TOKEN_APPROVE', {
      currency: policy.code,
      amount: allowance.amount,
      from: ownerRef.id,
      to: spenderRef.id,
    });
    return canonicalJson(allowance);
  }

  /**
   * Moves money out of `owner` under the allowance it gave `spender`; the caller operates `spender`.
   * @returns canonical JSON MovementResult; event `TokenMoved`.
   */
  @Transaction()
  @Param('spender', 'string', 'the allowed public account (the caller controls it)')
  @Param('owner', 'string', 'debited public account')
  @Param('to', 'string', 'credited public account')
  @Param('amount', 'string', 'amount in minor units, within the allowance')
  @Param('memo', 'string', "free text on chain; '' = none")
  @Returns('MovementResult')
  async TransferFrom(
    ctx: Context,
    spender: string,
    owner: string,
    to: string,
    amount: string,
    memo: string,
  ): Promise<string> {
    const spenderRef = checkPublic('spender', spender);
    const ownerRef = checkPublic('owner', owner);
    const payee = checkPublic('to', to);
    const value = parseAmount('amount', amount);
    const note = checkMemo(memo);
    await requireAccountControl(ctx, spenderRef, 'spend as it');
    const policy = await requireCurrency(ctx);
    const key = allowanceKey(ctx, policy.code, ownerRef.id, spenderRef.id);
    const allowance = (await readObject(ctx, key, `allowance of ${spenderRef.id} on ${ownerRef.id}`)) as
      | (Allowance & JsonObject)
      | undefined;
    const allowed = BigInt(allowance?.amount ?? '0');
    if (value > allowed) {
      throw new InsufficientFundsError(
        `the allowance of ${spenderRef.id} on account ${ownerRef.id} is ${allowed} ${policy.code} minor units; ` +
          `${value} were requested: short by ${value - allowed}`,
      );
    }
    const movements = await move(ctx, {
      kind: 'TRANSFER_FROM',
      book: PUBLIC_BOOK,
      currency: policy.code,
      from: ownerRef.id,
      credits: [{ to: payee.id, amount: value }],
      ref: spenderRef.id,
      purpose: `the transfer by ${spenderRef.id}`,
      ...note,
    });
    const tx = txFacts(ctx);
    await writeObject(ctx, key, {
      ...allowance!,
      amount: formatAmount(allowed - value),
      at: tx.timestamp,
      txId: tx.txId,
    });
    return moved(ctx, movements);
  }

  /** The allowance of `spender` on `owner` (amount "0" when none). @returns canonical JSON Allowance. */
  @Transaction(false)
  @Param('owner', 'string', 'public account the allowance is on')
  @Param('spender', 'string', 'the allowed public account')
  @Returns('Allowance')
  async GetAllowance(ctx: Context, owner: string, spender: string): Promise<string> {
    const ownerRef = checkPublic('owner', owner);
    const spenderRef = checkPublic('spender', spender);
    const policy = await requireCurrency(ctx);
    const stored = await readObject(
      ctx,
      allowanceKey(ctx, policy.code, ownerRef.id, spenderRef.id),
      `allowance of ${spenderRef.id} on ${ownerRef.id}`,
    );
    return canonicalJson(
      stored ?? {
        docType: 'allowance',
        currency: policy.code,
        owner: ownerRef.id,
        spender: spenderRef.id,
        amount: '0',
      },
    );
  }

  /**
   * Merges up to 100 of a public account's outputs into one (an account that received many
   * payments spends them again without reading more than one page). The caller operates it.
   */
  @Transaction()
  @Param('accountId', 'string', 'public account whose outputs are merged (the caller controls it)')
  @Returns('MovementResult')
  async Consolidate(ctx: Context, accountId: string): Promise<string> {
    const account = checkPublic('accountId', accountId);
    await requireAccountControl(ctx, account, 'consolidate it');
    const policy = await requireCurrency(ctx);
    const { balance, outputs } = await balanceOf(ctx, PUBLIC_BOOK, policy.code, account.id);
    if (outputs < 2)
      throw new InvalidArgumentError(`account ${account.id} has ${outputs} output(s): nothing to merge`);
    const movements = await move(ctx, {
      kind: 'CONSOLIDATE',
      book: PUBLIC_BOOK,
      currency: policy.code,
      from: account.id,
      credits: [{ to: account.id, amount: balance }],
    });
    return moved(ctx, movements);
  }

  /**
   * A public account's balance: the sum of all its outputs, read 100 at a time with Fabric's
   * paginated query (evaluate only). @returns canonical JSON BalanceResult.
   */
  @Transaction(false)
  @Param('accountId', 'string', 'public account')
  @Returns('BalanceResult')
  async GetBalance(ctx: Context, accountId: string): Promise<string> {
    const account = checkPublic('accountId', accountId);
    const policy = await requireCurrency(ctx);
    return balanceResult(ctx, PUBLIC_BOOK, policy.code, account.id);
  }

  /** A public account's movements, oldest first, one page at a time (evaluate only). */
  @Transaction(false)
  @Param('accountId', 'string', 'public account')
  @Param('pageSize', 'string', 'page size, 1-100 (decimal)')
  @Param('bookmark', 'string', 'where the page starts; empty for the first page')
  @Returns('MovementPage')
  async ListMovements(ctx: Context, accountId: string, pageSize: string, bookmark: string): Promise<string> {
    const account = checkPublic('accountId', accountId);
    const page = await readPage(
      ctx,
      TokenObjectType.accountIndex,
      [account.id],
      parsePageSize(pageSize),
      bookmark ?? '',
      (key) => {
        const [, , txId, seq] = ctx.stub.splitCompositeKey(key).attributes;
        return readMovement(ctx, PUBLIC_BOOK, txId, seq);
      },
    );
    return canonicalJson(page);
  }

  /** One public movement by id (`<txId>.<seq>`). */
  @Transaction(false)
  @Param('movementId', 'string', '<transaction id>.<7-digit sequence>')
  @Returns('Movement')
  async GetMovement(ctx: Context, movementId: string): Promise<string> {
    checkArgument('movementId', movementId, MOVEMENT_ID_PATTERN, '<txId>.<7-digit seq>');
    const [txId, seq] = movementId.split('.');
    return canonicalJson(await readMovement(ctx, PUBLIC_BOOK, txId, seq));
  }

  /**
   * Moves money from a public account into ministry `mspId`'s citizens' accounts: the public
   * side. `commitment` = sha256 hex of canonical JSON `{accountId, salt}` names the beneficiary
   * without revealing it; token:Claim (private) credits it. The caller operates `from`.
   * @returns canonical JSON MovementResult with `depositId` (= the transaction id); event `TokenMoved`.
   */
  @Transaction()
  @Param('from', 'string', 'debited public account (the caller controls it)')
  @Param('mspId', 'string', "the ministry keeping the beneficiary citizen's account")
  @Param('amount', 'string', 'amount in minor units')
  @Param(
    'commitment',
    'string',
    'hex SHA-256 of canonical JSON {accountId, salt}: names the beneficiary without revealing it',
  )
  @Param('memo', 'string', "free text on chain; '' = none")
  @Returns('DepositResult')
  async Deposit(
    ctx: Context,
    from: string,
    mspId: string,
    amount: string,
    commitment: string,
    memo: string,
  ): Promise<string> {
    const payer = checkPublic('from', from);
    checkArgument('mspId', mspId, /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an MSP ID');
    if (mspId === CENTRAL_BANK_MSP) {
      throw new InvalidArgumentError(
        `mspId must be a ministry keeping citizens' accounts, not ${CENTRAL_BANK_MSP}`,
      );
    }
    const value = parseAmount('amount', amount);
    checkArgument('commitment', commitment, HEX64_PATTERN, 'sha256 hex of canonical JSON {accountId, salt}');
    const note = checkMemo(memo);
    await requireAccountControl(ctx, payer, 'spend from it');
    const policy = await requireCurrency(ctx);
    const tx = txFacts(ctx);
    const movements = await move(ctx, {
      kind: 'DEPOSIT',
      book: PUBLIC_BOOK,
      currency: policy.code,
      from: payer.id,
      credits: [{ amount: value }],
      ref: tx.txId,
      purpose: 'the deposit',
      ...note,
    });
    const deposit: Deposit = {
      docType: 'deposit',
      id: tx.txId,
      mspId,
      currency: policy.code,
      amount: formatAmount(value),
      from: payer.id,
      commitment,
      at: tx.timestamp,
      txId: tx.txId,
    };
    await writeObject(ctx, tokenKey(ctx, TokenObjectType.deposit, [tx.txId]), deposit);
    emitEvent(ctx, EventName.tokenMoved, { txId: tx.txId, kinds: ['DEPOSIT'], depositId: tx.txId, mspId });
    return canonicalJson({ txId: tx.txId, depositId: tx.txId, movements });
  }

  /**
   * Credits a deposit to the citizen's account it committed to (private: transient `token` =
   * `{depositId, accountId, salt}`; writes only the ministry's collection). Caller: a teller of the
   * ministry or a currency issuer of the central bank. Once per deposit.
   * @returns canonical JSON `{txId}` (the result is in the block: nothing private).
   */
  @Transaction()
  @Returns('PrivateTxResult')
  async Claim(ctx: Context): Promise<string> {
    const input = readInstruction(ctx);
    input.rejectUnknownFields(['depositId', 'accountId', 'salt']);
    const claim: ClaimInstruction = {
      depositId: input.string('depositId', HEX64_PATTERN, 'a deposit id (its transaction id)'),
      accountId: checkPrivate(input, 'accountId').id,
      salt: input.string('salt', TOKEN_SALT_PATTERN, '32-64 lower-case hex characters'),
    };
    const account = parseAccountId(claim.accountId)!;
    await requirePrivateReader(ctx, account);
    const value = await readObject(ctx, tokenKey(ctx, TokenObjectType.deposit, [claim.depositId]), 'deposit');
    if (!value) throw new NotFoundError(`deposit ${claim.depositId} does not exist`);
    const deposit = value as unknown as Deposit;
    if (deposit.mspId !== account.mspId) {
      throw new InvalidArgumentError(
        `deposit ${deposit.id} is for the accounts of ${deposit.mspId}, not ${account.mspId}`,
      );
    }
    if (sha256Hex(canonicalJson({ accountId: claim.accountId, salt: claim.salt })) !== deposit.commitment) {
      throw new InvalidArgumentError(`deposit ${deposit.id} is not committed to this account and salt`);
    }
    const book = privateBook(account);
    const marker = tokenKey(ctx, TokenObjectType.claim, [deposit.id]);
    if (await bookRead(ctx, book, marker, `claim of deposit ${deposit.id}`)) {
      throw new AlreadyExistsError(`deposit ${deposit.id} was already claimed`);
    }
    const salt = readTransientSalt(ctx);
    await bookWrite(ctx, book, marker, {
      docType: 'claim',
      depositId: deposit.id,
      salt: sha256Hex(`${salt}|claim`),
    });
    await move(ctx, {
      kind: 'CLAIM',
      book,
      currency: deposit.currency,
      credits: [{ to: account.id, amount: BigInt(deposit.amount) }],
      ref: deposit.id,
      salt,
    });
    return canonicalJson({ txId: txFacts(ctx).txId });
  }

  /**
   * Moves money between two citizens' accounts of one ministry (private: transient `token` =
   * `{from, to, amount, memo?}`). Caller: a teller of that ministry.
   * @returns canonical JSON `{txId}`.
   */
  @Transaction()
  @Returns('PrivateTxResult')
  async PrivateTransfer(ctx: Context): Promise<string> {
    const input = readInstruction(ctx);
    input.rejectUnknownFields(['from', 'to', 'amount', 'memo']);
    const payer = checkPrivate(input, 'from');
    const payee = checkPrivate(input, 'to');
    const value = parseAmount(`transient "${TRANSIENT_TOKEN_KEY}": field "amount"`, input.required('amount'));
    const memo = input.has('memo')
      ? input.string('memo', MEMO_PATTERN, '1-200 printable characters')
      : undefined;
    if (payer.mspId !== payee.mspId) {
      throw new InvalidArgumentError(
        `from and to are kept by different ministries (${payer.mspId}, ${payee.mspId}): withdraw a voucher and deposit instead`,
      );
    }
    if (payer.id === payee.id) throw new InvalidArgumentError('from and to must be different accounts');
    await requireAccountControl(ctx, payer, 'spend from it');
    const policy = await requireCurrency(ctx);
    await move(ctx, {
      kind: 'PRIVATE_TRANSFER',
      book: privateBook(payer),
      currency: policy.code,
      from: payer.id,
      credits: [{ to: payee.id, amount: value }],
      purpose: 'the transfer',
      salt: readTransientSalt(ctx),
      ...(memo === undefined ? {} : { memo }),
    });
    return canonicalJson({ txId: txFacts(ctx).txId });
  }

  /**
   * Takes money out of a citizen's account as a voucher payable once to a public account
   * (private: transient `token` = `{from, amount, payTo, salt}`). Token:Redeem, or a record's
   * `feeVoucher`, pays it out publicly. Caller: a teller of the ministry.
   * @returns canonical JSON `{txId, voucherId}` (voucherId = txId).
   */
  @Transaction()
  @Returns('WithdrawResult')
  async Withdraw(ctx: Context): Promise<string> {
    const input = readInstruction(ctx);
    input.rejectUnknownFields(['from', 'amount', 'payTo', 'salt']);
    const payer = checkPrivate(input, 'from');
    const value = parseAmount(`transient "${TRANSIENT_TOKEN_KEY}": field "amount"`, input.required('amount'));
    const payTo = parsePublicAccount(input, 'payTo');
    const voucherSalt = input.string('salt', TOKEN_SALT_PATTERN, '32-64 lower-case hex characters');
    await requireAccountControl(ctx, payer, 'spend from it');
    const policy = await requireCurrency(ctx);
    const tx = txFacts(ctx);
    const book = privateBook(payer);
    await move(ctx, {
      kind: 'WITHDRAW',
      book,
      currency: policy.code,
      from: payer.id,
      credits: [{ amount: value }],
      ref: tx.txId,
      purpose: 'the voucher',
      salt: readTransientSalt(ctx),
    });
    const voucher: Voucher = {
      docType: 'voucher',
      id: tx.txId,
      mspId: payer.mspId,
      currency: policy.code,
      amount: formatAmount(value),
      payTo: payTo.id,
      salt: voucherSalt,
    };
    await bookWrite(ctx, book, voucherKey(ctx, voucher.id), voucher);
    return canonicalJson({ txId: tx.txId, voucherId: voucher.id });
  }

  /**
   * Pays a voucher out to its public account (public: proves the voucher by its fields against
   * the hash on the channel; once per voucher). Anyone may submit it.
   * @param voucherJson - `{id, mspId, amount, payTo, salt}`.
   * @returns canonical JSON MovementResult; event `TokenMoved`.
   */
  @Transaction()
  @Param('voucherJson', 'string', 'JSON {id, mspId, amount, payTo, salt}: the voucher, proved by its fields')
  @Returns('MovementResult')
  async Redeem(ctx: Context, voucherJson: string): Promise<string> {
    const proof = parseVoucherProof(InputObject.parse('voucherJson', voucherJson));
    const policy = await requireCurrency(ctx);
    const voucher = await redeemVoucher(ctx, proof, policy.code);
    const movements = await move(ctx, {
      kind: 'REDEEM',
      book: PUBLIC_BOOK,
      currency: policy.code,
      credits: [{ to: voucher.payTo, amount: BigInt(voucher.amount) }],
      ref: voucher.id,
    });
    return moved(ctx, movements);
  }

  /**
   * A citizen's account balance: evaluate on a peer of its ministry or the central bank, as a
   * teller of the ministry or a currency issuer. @returns canonical JSON BalanceResult.
   */
  @Transaction(false)
  @Param('accountId', 'string', "citizen's account: citizen:<MSP>:<id>")
  @Returns('BalanceResult')
  async GetPrivateBalance(ctx: Context, accountId: string): Promise<string> {
    const account = checkPrivateArg('accountId', accountId);
    await requirePrivateReader(ctx, account);
    const policy = await requireCurrency(ctx);
    return balanceResult(ctx, privateBook(account), policy.code, account.id);
  }

  /**
   * A citizen's account's movements, oldest first (evaluate on a peer of its ministry or the
   * central bank, as for GetPrivateBalance). Fabric has no paginated private query: a page is read
   * from the start of the account's index, skipping what precedes `bookmark` (at most
   * {@link MAX_PRIVATE_SCAN} index entries are read).
   * @returns canonical JSON `{items: Movement[], bookmark}` (bookmark '' on the last page).
   */
  @Transaction(false)
  @Param('accountId', 'string', "citizen's account: citizen:<MSP>:<id>")
  @Param('pageSize', 'string', 'page size, 1-100 (decimal)')
  @Param('bookmark', 'string', 'where the page starts; empty for the first page')
  @Returns('MovementPage')
  async ListPrivateMovements(
    ctx: Context,
    accountId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const account = checkPrivateArg('accountId', accountId);
    await requirePrivateReader(ctx, account);
    const size = parsePageSize(pageSize);
    const book = privateBook(account);
    if (bookmark) checkBookmark(ctx, TokenObjectType.accountIndex, [account.id], bookmark);
    const { entries, truncated } = await bookRange(
      ctx,
      book,
      TokenObjectType.accountIndex,
      [account.id],
      MAX_PRIVATE_SCAN,
    );
    const after = entries.filter((e) => !bookmark || e.key >= bookmark);
    if (truncated && after.length <= size) {
      throw new LimitExceededError(
        `account ${account.id} has more than ${MAX_PRIVATE_SCAN} movements to scan`,
      );
    }
    const items = [];
    for (const e of after.slice(0, size)) {
      const [, , txId, seq] = ctx.stub.splitCompositeKey(e.key).attributes;
      items.push(await readMovement(ctx, book, txId, seq));
    }
    return canonicalJson({ items, bookmark: after.length > size ? after[size].key : '' });
  }

  /**
   * Publishes the rate of another currency against the issued one. Caller: a currency issuer.
   * @param rate - major units of `quote` per major unit of the issued currency, e.g. "0.000245".
   * @returns canonical JSON ExchangeRate; event `RatePublished`.
   */
  @Transaction()
  @Param('quote', 'string', 'ISO 4217 code of the other currency')
  @Param('rate', 'string', 'major units of quote per major unit of the issued currency, e.g. "0.000245"')
  @Param('quoteMinorUnits', 'string', "decimal digits of the quote currency's minor unit, 0-4")
  @Returns('ExchangeRate')
  async PublishRate(ctx: Context, quote: string, rate: string, quoteMinorUnits: string): Promise<string> {
    await requireCurrencyIssuer(ctx, 'PublishRate');
    const policy = await requireCurrency(ctx);
    checkArgument('quote', quote, CURRENCY_CODE_PATTERN, CURRENCY_CODE_RULE);
    if (quote === policy.code)
      throw new InvalidArgumentError(`quote must be another currency than ${policy.code}`);
    parseRate(rate);
    checkArgument('quoteMinorUnits', quoteMinorUnits, /^[0-4]$/, 'an integer from 0 to 4');
    const tx = txFacts(ctx);
    const head = await readRateHead(ctx, quote);
    const published: ExchangeRate = {
      docType: 'rate',
      base: policy.code,
      quote,
      rate,
      quoteMinorUnits: Number(quoteMinorUnits),
      seq: (head?.seq ?? 0) + 1,
      at: tx.timestamp,
      txId: tx.txId,
    };
    await writeObject(
      ctx,
      tokenKey(ctx, TokenObjectType.rate, [quote, versionAttr(published.seq)]),
      published,
    );
    await writeObject(ctx, tokenKey(ctx, TokenObjectType.rateHead, [quote]), published);
    await appendTrail(ctx, 'rate', `${policy.code}-${quote}`, 'RATE_PUBLISHED', { rate, seq: published.seq });
    emitEvent(ctx, EventName.ratePublished, { base: policy.code, quote, rate, seq: published.seq });
    return canonicalJson(published);
  }

  /**
   * The rate of `quote` in force at a time ('' = the latest).
   * @returns canonical JSON ExchangeRate.
   */
  @Transaction(false)
  @Param('quote', 'string', 'ISO 4217 code of the other currency')
  @Param('at', 'string', "ISO 8601 UTC time the rate was in force; '' = the latest")
  @Returns('ExchangeRate')
  async GetRate(ctx: Context, quote: string, at: string): Promise<string> {
    checkArgument('quote', quote, CURRENCY_CODE_PATTERN, CURRENCY_CODE_RULE);
    return canonicalJson(await readRateAt(ctx, quote, at));
  }

  /**
   * Records an exchange to or from another currency at the latest published rate (a record, not
   * a payment). Caller: a currency issuer.
   * @param conversionJson - `{direction: IN|OUT, quote, amount, accountId?, reference}`.
   * @returns canonical JSON Conversion; event `ConversionRecorded`.
   */
  @Transaction()
  @Param('conversionJson', 'string', 'JSON {direction: IN|OUT, quote, amount, accountId?, reference}')
  @Returns('Conversion')
  async RecordConversion(ctx: Context, conversionJson: string): Promise<string> {
    await requireCurrencyIssuer(ctx, 'RecordConversion');
    const policy = await requireCurrency(ctx);
    const input = parseConversionInput(conversionJson);
    const rate = await readRateHead(ctx, input.quote);
    if (!rate) throw new NotFoundError(`no rate of ${input.quote} was ever published`);
    const tx = txFacts(ctx);
    const conversion: Conversion = {
      docType: 'conversion',
      id: tx.txId,
      direction: input.direction,
      base: policy.code,
      quote: input.quote,
      rateSeq: rate.seq,
      rate: rate.rate,
      amountIn: input.amount,
      amountOut: formatAmount(convert(input.direction, BigInt(input.amount), rate, policy.minorUnits)),
      ...(input.accountId === undefined ? {} : { accountId: input.accountId }),
      reference: input.reference,
      by: tx.clientId,
      at: tx.timestamp,
      txId: tx.txId,
    };
    await writeObject(ctx, tokenKey(ctx, TokenObjectType.conversion, [conversion.id]), conversion);
    await appendTrail(ctx, 'conversion', conversion.id, 'CONVERSION_RECORDED', {
      direction: conversion.direction,
      quote: conversion.quote,
      amountIn: conversion.amountIn,
      amountOut: conversion.amountOut,
      rateSeq: conversion.rateSeq,
    });
    emitEvent(ctx, EventName.conversionRecorded, {
      id: conversion.id,
      direction: conversion.direction,
      quote: conversion.quote,
    });
    return canonicalJson(conversion);
  }

  /** A recorded conversion by id. */
  @Transaction(false)
  @Param('conversionId', 'string', 'the conversion id (its transaction id)')
  @Returns('Conversion')
  async GetConversion(ctx: Context, conversionId: string): Promise<string> {
    checkArgument(
      'conversionId',
      conversionId,
      HEX64_PATTERN,
      'a transaction id: 64 lower-case hex characters',
    );
    const value = await readObject(
      ctx,
      tokenKey(ctx, TokenObjectType.conversion, [conversionId]),
      'conversion',
    );
    if (!value) throw new NotFoundError(`conversion ${conversionId} does not exist`);
    return canonicalJson(value);
  }
}

/** The result of a public move, with its event. */
function moved(ctx: Context, movements: Movement[]): string {
  const { txId } = txFacts(ctx);
  emitEvent(ctx, EventName.tokenMoved, { txId, kinds: [...new Set(movements.map((m) => m.kind))] });
  const result: MovementResult = { txId, movements };
  return canonicalJson(result);
}

/** A balance as returned (evaluate only: a public one is read with paginated queries). */
async function balanceResult(ctx: Context, book: Book, currency: string, accountId: string): Promise<string> {
  const { balance, outputs, complete } = await wholeBalanceOf(ctx, book, currency, accountId);
  const result: BalanceResult = { accountId, currency, balance: formatAmount(balance), outputs, complete };
  return canonicalJson(result);
}

/** Reads a movement. */
async function readMovement(ctx: Context, book: Book, txId: string, seq: string): Promise<Movement> {
  const value = await bookRead(
    ctx,
    book,
    tokenKey(ctx, TokenObjectType.movement, [txId, seq]),
    `movement ${txId}.${seq}`,
  );
  if (!value) throw new NotFoundError(`movement ${txId}.${seq} does not exist`);
  return value as unknown as Movement;
}

/** Key of an allowance. */
function allowanceKey(ctx: Context, currency: string, owner: string, spender: string): string {
  return tokenKey(ctx, TokenObjectType.allowance, [currency, owner, spender]);
}

/** The book of a citizen's account: its ministry's collection. */
function privateBook(account: AccountRef): Book {
  return { collection: accountsCollection(account.mspId) };
}

/** Checks an account argument that must be public. */
function checkPublic(name: string, id: string): AccountRef {
  const account = parseAccountId(checkArgument(name, id, ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE))!;
  if (account.private) {
    throw new InvalidArgumentError(
      `${name} is a citizen's account, kept privately by ${account.mspId}: use token:Deposit / Claim / PrivateTransfer / Withdraw`,
    );
  }
  return account;
}

/** Checks an account argument that must be a citizen's. */
function checkPrivateArg(name: string, id: string): AccountRef {
  const account = parseAccountId(checkArgument(name, id, ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE))!;
  if (!account.private)
    throw new InvalidArgumentError(`${name} must be a citizen's account (citizen:<MSP>:<pseudonym>)`);
  return account;
}

/** Reads a citizen account field of a private instruction. */
function checkPrivate(input: InputObject, field: string): AccountRef {
  const account = parseAccountField(input, field);
  if (!account.private)
    throw input.fieldError(field, "must be a citizen's account (citizen:<MSP>:<pseudonym>)");
  return account;
}

/** The memo argument ('' = none). */
function checkMemo(memo: string): { memo?: string } {
  if (memo === '' || memo === undefined) return {};
  return {
    memo: checkArgument(
      'memo',
      memo,
      MEMO_PATTERN,
      '1-200 printable characters (on chain: no personal data)',
    ),
  };
}

/**
 * Reads a private transaction's instruction from the transient map.
 * @throws InvalidArgumentError when it is missing or not a JSON object (never echoing it).
 */
function readInstruction(ctx: Context): InputObject {
  const bytes = ctx.stub.getTransient().get(TRANSIENT_TOKEN_KEY);
  if (bytes === undefined || bytes.length === 0) {
    throw new InvalidArgumentError(
      `transient "${TRANSIENT_TOKEN_KEY}" is missing: a private movement's instruction travels there`,
    );
  }
  const text = Buffer.from(bytes).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError(`transient "${TRANSIENT_TOKEN_KEY}" is not valid JSON`);
  }
  if (!isJsonObject(parsed))
    throw new InvalidArgumentError(`transient "${TRANSIENT_TOKEN_KEY}" must be a JSON object`);
  return InputObject.parse(`transient "${TRANSIENT_TOKEN_KEY}"`, text);
}
