import { Object as DataType, Property } from 'fabric-contract-api';
import type {
  Allowance as AllowanceShape,
  BalanceResult as BalanceShape,
  Conversion as ConversionShape,
  CurrencyInfo as CurrencyInfoShape,
  CurrencyPolicy as CurrencyPolicyShape,
  ExchangeRate as ExchangeRateShape,
  Movement as MovementShape,
  MovementKind,
  MovementResult as MovementResultShape,
} from '../model/token';
import './json';

/**
 * The token contract's data types as GetMetadata describes them (see records.ts): each class
 * implements the interface the contract uses; the contract returns canonical JSON text.
 */

/** The governed supply policy (setting `currency`). */
@DataType()
export class CurrencyPolicy implements CurrencyPolicyShape {
  @Property('code', 'string') code!: string;
  @Property('minorUnits', 'number') minorUnits!: number;
  @Property('maxSupply', 'string') maxSupply!: string;
}

/** What GetCurrency answers (`policy` null before one is enacted). */
@DataType()
export class CurrencyInfo implements CurrencyInfoShape {
  @Property('policy', 'CurrencyPolicy') policy!: CurrencyPolicyShape | null;
  @Property('minted', 'string') minted!: string;
  @Property('burned', 'string') burned!: string;
  @Property('outstanding', 'string') outstanding!: string;
}

/** One movement of money (amounts in minor units, decimal strings). */
@DataType()
export class Movement implements MovementShape {
  @Property('docType', 'string') docType!: 'movement';
  @Property('id', 'string') id!: string;
  @Property('kind', 'string') kind!: MovementKind;
  @Property('currency', 'string') currency!: string;
  @Property('amount', 'string') amount!: string;
  @Property('from', 'string') from?: string;
  @Property('to', 'string') to?: string;
  @Property('memo', 'string') memo?: string;
  @Property('ref', 'string') ref?: string;
  @Property('by', 'string') by!: string;
  @Property('byMsp', 'string') byMsp!: string;
  @Property('at', 'string') at!: string;
  @Property('txId', 'string') txId!: string;
}

/** What a public move answers (Mint, Burn, Transfer, TransferFrom, Consolidate, Redeem). */
@DataType()
export class MovementResult implements MovementResultShape {
  @Property('txId', 'string') txId!: string;
  @Property('movements', 'Movement[]') movements!: MovementShape[];
}

/** What Deposit answers: its movements and the deposit's id (its transaction id). */
@DataType()
export class DepositResult implements MovementResultShape {
  @Property('txId', 'string') txId!: string;
  @Property('depositId', 'string') depositId!: string;
  @Property('movements', 'Movement[]') movements!: MovementShape[];
}

/** What a private transaction answers (Claim, PrivateTransfer): its id alone, nothing private. */
@DataType()
export class PrivateTxResult {
  @Property('txId', 'string') txId!: string;
}

/** What Withdraw answers: the voucher's id (its transaction id). */
@DataType()
export class WithdrawResult {
  @Property('txId', 'string') txId!: string;
  @Property('voucherId', 'string') voucherId!: string;
}

/** An allowance (GetAllowance of none: amount "0", no `at` nor `txId`). */
@DataType()
export class Allowance implements Omit<AllowanceShape, 'at' | 'txId'> {
  @Property('docType', 'string') docType!: 'allowance';
  @Property('currency', 'string') currency!: string;
  @Property('owner', 'string') owner!: string;
  @Property('spender', 'string') spender!: string;
  @Property('amount', 'string') amount!: string;
  @Property('at', 'string') at?: string;
  @Property('txId', 'string') txId?: string;
}

/** An account's balance (GetBalance, GetPrivateBalance). */
@DataType()
export class BalanceResult implements BalanceShape {
  @Property('accountId', 'string') accountId!: string;
  @Property('currency', 'string') currency!: string;
  @Property('balance', 'string') balance!: string;
  @Property('outputs', 'number') outputs!: number;
  @Property('complete', 'boolean') complete!: boolean;
}

/** A page of an account's movements (`bookmark` '' on the last page). */
@DataType()
export class MovementPage {
  @Property('items', 'Movement[]') items!: MovementShape[];
  @Property('bookmark', 'string') bookmark!: string;
}

/** A published exchange rate. */
@DataType()
export class ExchangeRate implements ExchangeRateShape {
  @Property('docType', 'string') docType!: 'rate';
  @Property('base', 'string') base!: string;
  @Property('quote', 'string') quote!: string;
  @Property('rate', 'string') rate!: string;
  @Property('quoteMinorUnits', 'number') quoteMinorUnits!: number;
  @Property('seq', 'number') seq!: number;
  @Property('at', 'string') at!: string;
  @Property('txId', 'string') txId!: string;
}

/** A recorded conversion. */
@DataType()
export class Conversion implements ConversionShape {
  @Property('docType', 'string') docType!: 'conversion';
  @Property('id', 'string') id!: string;
  @Property('direction', 'string') direction!: 'IN' | 'OUT';
  @Property('base', 'string') base!: string;
  @Property('quote', 'string') quote!: string;
  @Property('rateSeq', 'number') rateSeq!: number;
  @Property('rate', 'string') rate!: string;
  @Property('amountIn', 'string') amountIn!: string;
  @Property('amountOut', 'string') amountOut!: string;
  @Property('accountId', 'string') accountId?: string;
  @Property('reference', 'string') reference!: string;
  @Property('by', 'string') by!: string;
  @Property('at', 'string') at!: string;
  @Property('txId', 'string') txId!: string;
}
