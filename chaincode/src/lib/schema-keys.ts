import type { Context } from 'fabric-contract-api';

/**
 * World-state keys of the schemas registry (composite keys, see lib/keys.ts). Versions are
 * zero-padded so that a range over `schema` [recordType] lists them in version order.
 */
export const SchemaObjectType = {
  /** `schema` [recordType, version as 7 digits] → SchemaVersion */
  version: 'schema',
  /** `schema~head` [recordType] → SchemaHead (the latest version number and the latest version) */
  head: 'schema~head',
  /** `schema~domain` [domain] → DomainOwner (the ministry that owns the domain's record types) */
  domain: 'schema~domain',
} as const;

/** Width of a zero-padded version number in keys (versions go up to 1,000,000). */
const VERSION_DIGITS = 7;

/** Key of one schema version. */
export function schemaVersionKey(ctx: Context, recordType: string, version: number): string {
  return ctx.stub.createCompositeKey(SchemaObjectType.version, [
    recordType,
    String(version).padStart(VERSION_DIGITS, '0'),
  ]);
}

/** Key of a record type's schema head. */
export function schemaHeadKey(ctx: Context, recordType: string): string {
  return ctx.stub.createCompositeKey(SchemaObjectType.head, [recordType]);
}

/** Key of a domain's owner. */
export function domainOwnerKey(ctx: Context, domain: string): string {
  return ctx.stub.createCompositeKey(SchemaObjectType.domain, [domain]);
}
