import type { Context } from 'fabric-contract-api';
import { canonicalJson, sha256Hex, type JsonObject } from './canonical';
import { InvalidArgumentError } from './errors';
import { isJsonObject } from './input';
import { personalDataKey } from './record-keys';

/**
 * Personal data of records. Personal fields never travel in proposal arguments (those are in the
 * block): the client sends them in the transient map, under {@link TRANSIENT_PERSONAL_KEY}, as a
 * JSON object. The chaincode stores them in the issuing ministry's implicit private data
 * collection `_implicit_org_<MSPID>` (Fabric ≥ 2.0 defines it for every organization without a
 * collections config; its members are the organization's peers, and writes must be endorsed by
 * one of them). Blocks carry only the SHA-256 of the stored value, which GetPrivateDataHash
 * returns on every peer.
 */

/** Transient map key carrying the personal fields. */
export const TRANSIENT_PERSONAL_KEY = 'personal';

/** Name of an organization's implicit private data collection. */
export function implicitCollection(mspId: string): string {
  return `_implicit_org_${mspId}`;
}

/**
 * Reads the personal fields from the transient map.
 * @returns the object, or undefined when the transient map has no `personal` entry.
 * @throws InvalidArgumentError when the entry is not a JSON object (its content is never echoed).
 */
export function readTransientPersonal(ctx: Context): JsonObject | undefined {
  const bytes = ctx.stub.getTransient().get(TRANSIENT_PERSONAL_KEY);
  if (bytes === undefined) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new InvalidArgumentError(`transient "${TRANSIENT_PERSONAL_KEY}" is not valid JSON`);
  }
  if (!isJsonObject(parsed)) {
    throw new InvalidArgumentError(`transient "${TRANSIENT_PERSONAL_KEY}" must be a JSON object`);
  }
  return parsed;
}

/** Where a record's personal fields went, and the hash the channel ledger holds of them. */
export interface StoredPersonalData {
  collection: string;
  /** Hex SHA-256 of the stored bytes (= GetPrivateDataHash). */
  hash: string;
}

/**
 * Stores a record's private value (canonical JSON) in its issuer's implicit collection: the salted
 * personal fields of lib/commitment's privateValue.
 */
export async function writePersonalData(
  ctx: Context,
  issuerMsp: string,
  recordId: string,
  personal: JsonObject,
): Promise<StoredPersonalData> {
  const collection = implicitCollection(issuerMsp);
  const value = canonicalJson(personal, `transient "${TRANSIENT_PERSONAL_KEY}"`);
  await ctx.stub.putPrivateData(collection, personalDataKey(ctx, recordId), Buffer.from(value, 'utf8'));
  return { collection, hash: sha256Hex(value) };
}

/**
 * What Fabric's query executor answers when the channel ledger holds a private key's hash but this
 * peer does not hold the value (not a member of the collection, or dissemination missed it).
 */
const NOT_HELD_MESSAGE = 'private data matching public hash version is not available';

/** The personal data bytes this peer holds for a record, or undefined (not a member, or none). */
export async function readPersonalBytes(
  ctx: Context,
  collection: string,
  recordId: string,
): Promise<Uint8Array | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await ctx.stub.getPrivateData(collection, personalDataKey(ctx, recordId));
  } catch (err) {
    if (String((err as Error)?.message ?? err).includes(NOT_HELD_MESSAGE)) {
      return undefined;
    }
    throw err;
  }
  return bytes && bytes.length > 0 ? bytes : undefined;
}

/** The hex SHA-256 of a record's personal data as the channel ledger holds it, or undefined. */
export async function personalDataHashOnLedger(
  ctx: Context,
  collection: string,
  recordId: string,
): Promise<string | undefined> {
  const hash = await ctx.stub.getPrivateDataHash(collection, personalDataKey(ctx, recordId));
  return hash && hash.length > 0 ? Buffer.from(hash).toString('hex') : undefined;
}
