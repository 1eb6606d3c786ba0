import type { Context } from 'fabric-contract-api';
import {
  asDomainOwner,
  domainOf,
  asSchemaHead,
  asSchemaVersion,
  type DomainOwner,
  type SchemaHead,
  type SchemaVersion,
} from '../model/schema';
import type { JsonObject } from './canonical';
import { NotFoundError, StateCorruptError } from './errors';
import { RECORD_TYPE_PATTERN } from '../model/patterns';
import { domainOwnerKey, schemaHeadKey, schemaVersionKey } from './schema-keys';
import { readObject } from './state';

/** Reads of the schemas registry, shared by the schemas and ledger contracts. */

/** A record type's schema head, or undefined when none is registered. */
async function readSchemaHead(ctx: Context, recordType: string): Promise<SchemaHead | undefined> {
  const value = await readObject(ctx, schemaHeadKey(ctx, recordType), `schema head ${recordType}`);
  return value ? asSchemaHead(value, recordType) : undefined;
}

/** The latest version number of a record type's schema, or 0 when none is registered. */
export async function latestSchemaVersion(ctx: Context, recordType: string): Promise<number> {
  return (await readSchemaHead(ctx, recordType))?.latestVersion ?? 0;
}

/**
 * Reads one version of a record type's schema; the latest when `version` is undefined.
 * @throws NotFoundError "no schema is registered for record type X" or "schema X has no version N".
 */
export async function readSchemaVersion(
  ctx: Context,
  recordType: string,
  version?: number,
): Promise<SchemaVersion> {
  const head = await readSchemaHead(ctx, recordType);
  const latest = head?.latestVersion ?? 0;
  if (latest === 0) {
    throw new NotFoundError(`no schema is registered for record type ${recordType}`);
  }
  const wanted = version ?? latest;
  if (wanted > latest) {
    throw new NotFoundError(`schema ${recordType} has no version ${wanted} (the latest is ${latest})`);
  }
  // the head carries the latest version (heads written before that do not): one read fewer
  const value =
    wanted === latest && head?.latest !== undefined
      ? (head.latest as unknown as JsonObject)
      : await readObject(ctx, schemaVersionKey(ctx, recordType, wanted), `schema ${recordType} v${wanted}`);
  if (!value) {
    throw new StateCorruptError(`schema ${recordType} v${wanted} is below the head but missing`);
  }
  return asSchemaVersion(value, recordType, wanted);
}

/** The ministry owning a domain, or undefined when no schema of the domain was ever registered. */
export async function readDomainOwner(ctx: Context, domain: string): Promise<DomainOwner | undefined> {
  const value = await readObject(ctx, domainOwnerKey(ctx, domain), `domain owner ${domain}`);
  return value ? asDomainOwner(value, domain) : undefined;
}

/**
 * The MSP ID of the ministry owning the domain of `path` (a domain, e.g. `education`, or a record
 * type, e.g. `education.credential`), or undefined when the domain has no owner yet.
 *
 * For a record type with a registered schema the owner is read from the type's schema head, which
 * a registration reads anyway for its schema (lib/state serves the second read): every schema
 * version names the ministry that registered it, and only the domain's owner has ever registered
 * schemas in it (RegisterSchema refuses any other ministry, and claims the domain for the first
 * one in the same transaction), and a domain's owner never changes. A head that does not carry its
 * latest version (written before that was added), or a path that is not a record type with a
 * schema, is answered by the domain owner's own key.
 */
export async function domainOwnerMsp(ctx: Context, path: string): Promise<string | undefined> {
  if (RECORD_TYPE_PATTERN.test(path)) {
    const latest = (await readSchemaHead(ctx, path))?.latest;
    if (latest !== undefined) {
      if (typeof latest.ownerMsp !== 'string') {
        throw new StateCorruptError(`the latest version on schema head ${path} names no owner`);
      }
      return latest.ownerMsp;
    }
  }
  return (await readDomainOwner(ctx, domainOf(path)))?.ownerMsp;
}
