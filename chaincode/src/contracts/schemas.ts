import { Context, Contract, Info, Param, Returns, Transaction } from 'fabric-contract-api';
import { requireRole } from '../lib/authz';
import { canonicalJson, sha256Hex, unmarshal } from '../lib/canonical';
import { InvalidArgumentError, LimitExceededError } from '../lib/errors';
import { EventName, emitEvent } from '../lib/events';
import { checkArgument } from '../lib/input';
import { readPartialCompositeKey } from '../lib/query';
import { compileSchema, validatorFor } from '../lib/schema-validator';
import { domainOwnerKey, SchemaObjectType, schemaHeadKey, schemaVersionKey } from '../lib/schema-keys';
import { latestSchemaVersion, readDomainOwner, readSchemaVersion } from '../lib/schemas';
import { writeObject } from '../lib/state';
import { appendTrail } from '../lib/trail';
import { txFacts } from '../lib/tx';
import { RECORD_TYPE_PATTERN, RECORD_TYPE_RULE } from '../model/patterns';
import { MAX_SCHEMA_VERSION } from '../model/record';
import {
  asSchemaVersion,
  domainOf,
  newSchemaVersion,
  parseSchemaInput,
  type DomainOwner,
  type SchemaHead,
} from '../model/schema';

/** Most versions ListSchemaVersions returns. */
export const MAX_LISTED_SCHEMA_VERSIONS = 1000;

/** Result of RegisterSchema. */
export interface RegisterSchemaResult {
  id: string;
  version: number;
  schemaHash: string;
  ownerMsp: string;
  txId: string;
}

/** One line of ListSchemaVersions. */
export interface SchemaVersionSummary {
  version: number;
  schemaHash: string;
  personalFields: string[];
  registeredAt: string;
  txId: string;
}

/**
 * The `schemas` contract: the data-standards registry. Each record type has a lineage of JSON
 * Schema versions; every version stays readable, and records cite the version they were checked
 * against. Domain ownership: the ministry whose admin registers the first schema of a domain (the
 * first part of a record type, e.g. `education`) owns that domain; from then on only an admin of
 * that ministry (its root admin, or an identity holding `ministry-admin` for the domain) registers
 * schemas of the domain's record types.
 */
@Info({ title: 'schemas', description: 'JSON Schemas of record types, versioned, owned by ministries' })
export class SchemasContract extends Contract {
  constructor() {
    super('schemas');
  }

  /**
   * Registers the next version of a record type's schema.
   * @param recordType - e.g. `education.credential`.
   * @param schemaJson - JSON `{schema: <JSON Schema draft-07 of type object>, personalFields?: [names]}`.
   * @returns canonical JSON {@link RegisterSchemaResult}; event `SchemaRegistered`.
   */
  @Transaction()
  @Param('recordType', 'string', 'dotted record type, e.g. education.credential')
  @Param('schemaJson', 'string', 'JSON {schema, personalFields?}')
  @Returns('RegisterSchemaResult')
  async RegisterSchema(ctx: Context, recordType: string, schemaJson: string): Promise<string> {
    checkRecordType(recordType);
    const domain = domainOf(recordType);
    await requireRole(ctx, 'ministry-admin', domain);
    const tx = txFacts(ctx);
    const owner = await readDomainOwner(ctx, domain);
    const input = parseSchemaInput(schemaJson);
    compileSchema(input.schema);
    const version = (await latestSchemaVersion(ctx, recordType)) + 1;
    if (version > MAX_SCHEMA_VERSION) {
      throw new LimitExceededError(`schema ${recordType} already has ${MAX_SCHEMA_VERSION} versions`);
    }
    const entry = newSchemaVersion(recordType, version, input, sha256Hex(canonicalJson(input.schema)), tx);
    await writeObject(ctx, schemaVersionKey(ctx, recordType, version), entry);
    const head: SchemaHead = { docType: 'schemaHead', id: recordType, latestVersion: version, latest: entry };
    await writeObject(ctx, schemaHeadKey(ctx, recordType), head);
    if (!owner) {
      const claim: DomainOwner = {
        docType: 'domainOwner',
        domain,
        ownerMsp: tx.mspId,
        claimedAt: tx.timestamp,
        txId: tx.txId,
      };
      await writeObject(ctx, domainOwnerKey(ctx, domain), claim);
    }
    await appendTrail(ctx, 'schema', recordType, 'SCHEMA_REGISTERED', {
      version,
      schemaHash: entry.schemaHash,
    });
    validatorFor(entry); // compiled once here, reused by the records that follow
    emitEvent(ctx, EventName.schemaRegistered, {
      id: recordType,
      version,
      schemaHash: entry.schemaHash,
      ownerMsp: tx.mspId,
    });
    const result: RegisterSchemaResult = {
      id: recordType,
      version,
      schemaHash: entry.schemaHash,
      ownerMsp: tx.mspId,
      txId: tx.txId,
    };
    return canonicalJson(result);
  }

  /**
   * Returns one version of a record type's schema.
   * @param version - a version number, or `` (empty) for the latest.
   * @returns the stored schema version as canonical JSON.
   */
  @Transaction(false)
  @Param('recordType', 'string', 'dotted record type, e.g. education.credential')
  @Param('version', 'string', 'schema version (decimal); empty for the latest')
  @Returns('SchemaVersion')
  async GetSchema(ctx: Context, recordType: string, version: string): Promise<string> {
    checkRecordType(recordType);
    return canonicalJson(await readSchemaVersion(ctx, recordType, parseVersionArgument(version)));
  }

  /**
   * Lists every version of a record type's schema, oldest first.
   * @returns canonical JSON array of {@link SchemaVersionSummary}.
   */
  @Transaction(false)
  @Param('recordType', 'string', 'dotted record type, e.g. education.credential')
  @Returns('SchemaVersionSummary[]')
  async ListSchemaVersions(ctx: Context, recordType: string): Promise<string> {
    checkRecordType(recordType);
    const { entries, truncated } = await readPartialCompositeKey(
      ctx,
      SchemaObjectType.version,
      [recordType],
      MAX_LISTED_SCHEMA_VERSIONS,
    );
    if (truncated) {
      throw new LimitExceededError(
        `schema ${recordType} has more than ${MAX_LISTED_SCHEMA_VERSIONS} versions; read them one by one with GetSchema`,
      );
    }
    const summaries: SchemaVersionSummary[] = entries.map(({ key, value }) => {
      const version = Number(ctx.stub.splitCompositeKey(key).attributes[1]);
      const entry = asSchemaVersion(
        unmarshal(value, `schema ${recordType} v${version}`),
        recordType,
        version,
      );
      return {
        version: entry.version,
        schemaHash: entry.schemaHash,
        personalFields: entry.personalFields,
        registeredAt: entry.registeredAt,
        txId: entry.txId,
      };
    });
    return canonicalJson(summaries);
  }
}

/** Checks a record type argument. */
function checkRecordType(recordType: string): string {
  return checkArgument('recordType', recordType, RECORD_TYPE_PATTERN, RECORD_TYPE_RULE);
}

/**
 * Parses an optional version argument: `` means the latest.
 * @throws InvalidArgumentError when it is not a positive integer.
 */
export function parseVersionArgument(version: string | undefined): number | undefined {
  if (version === undefined || version === '') {
    return undefined;
  }
  if (!/^[1-9][0-9]{0,6}$/.test(version) || Number(version) > MAX_SCHEMA_VERSION) {
    throw new InvalidArgumentError(
      `version must be empty (the latest) or an integer from 1 to ${MAX_SCHEMA_VERSION}`,
    );
  }
  return Number(version);
}
