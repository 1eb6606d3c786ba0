import type { Context } from 'fabric-contract-api';
import {
  asDomainOwner,
  asSchemaHead,
  asSchemaVersion,
  type DomainOwner,
  type SchemaHead,
  type SchemaVersion,
} from '../model/schema';
import type { JsonObject } from './canonical';
import { NotFoundError, StateCorruptError } from './errors';
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
