import type { Context } from 'fabric-contract-api';
import { accountsCollection, type VoucherProof, type Voucher } from '../model/token';
import { canonicalJson, sha256Hex } from './canonical';
import { AlreadyExistsError, InvalidArgumentError } from './errors';
import { exists, writeObject } from './state';
import { TokenObjectType, tokenKey } from './token-keys';
import { txFacts } from './tx';

/**
 * Vouchers carry value from a citizen's (private) account to a public one without a transaction
 * that writes both: Withdraw (private only) stores the voucher in the ministry's collection, whose
 * hash every peer holds; a public transaction later proves it by its fields, marks it redeemed
 * (public key, once) and credits the payee.
 */

/** The voucher a proof describes, as Withdraw stored it. */
export function voucherOf(proof: VoucherProof, currency: string): Voucher {
  return { docType: 'voucher', ...proof, currency };
}

/** Key of a voucher in its ministry's collection. */
export function voucherKey(ctx: Context, voucherId: string): string {
  return tokenKey(ctx, TokenObjectType.voucher, [voucherId]);
}

/**
 * Checks a voucher against the hash on the channel and marks it redeemed in the current
 * transaction (any peer can: it reads only the private data hash).
 * @throws InvalidArgumentError when no voucher with these exact fields exists; AlreadyExistsError
 *   when it was redeemed before.
 */
export async function redeemVoucher(ctx: Context, proof: VoucherProof, currency: string): Promise<Voucher> {
  const voucher = voucherOf(proof, currency);
  const collection = accountsCollection(proof.mspId);
  const onLedger = await ctx.stub.getPrivateDataHash(collection, voucherKey(ctx, proof.id));
  const expected = sha256Hex(canonicalJson(voucher));
  if (!onLedger || onLedger.length === 0 || Buffer.from(onLedger).toString('hex') !== expected) {
    throw new InvalidArgumentError(
      `voucher ${proof.id} of ${proof.mspId} does not exist with these fields (id, mspId, amount, payTo, salt)`,
    );
  }
  const marker = tokenKey(ctx, TokenObjectType.redeemed, [proof.mspId, proof.id]);
  if (await exists(ctx, marker)) {
    throw new AlreadyExistsError(`voucher ${proof.id} of ${proof.mspId} was already redeemed`);
  }
  await writeObject(ctx, marker, { docType: 'redeemed', voucherId: proof.id, txId: txFacts(ctx).txId });
  return voucher;
}
