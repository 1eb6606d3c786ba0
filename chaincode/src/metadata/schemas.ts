import { Object as DataType, Property } from 'fabric-contract-api';
import type {
  RegisterSchemaResult as RegisterShape,
  SchemaVersionSummary as SummaryShape,
} from '../contracts/schemas';
import type { JsonObject as Json } from '../lib/canonical';
import type { SchemaVersion as SchemaVersionShape } from '../model/schema';
import './json';

/** A record type's schema version as stored (GetSchema). */
@DataType()
export class SchemaVersion implements SchemaVersionShape {
  @Property('docType', 'string') docType!: 'schema';
  @Property('id', 'string') id!: string;
  @Property('version', 'number') version!: number;
  @Property('domain', 'string') domain!: string;
  @Property('schema', 'JsonObject') schema!: Json;
  @Property('personalFields', 'string[]') personalFields!: string[];
  @Property('schemaHash', 'string') schemaHash!: string;
  @Property('ownerMsp', 'string') ownerMsp!: string;
  @Property('registeredBy', 'string') registeredBy!: string;
  @Property('registeredAt', 'string') registeredAt!: string;
  @Property('txId', 'string') txId!: string;
}

/** What RegisterSchema answers. */
@DataType()
export class RegisterSchemaResult implements RegisterShape {
  @Property('id', 'string') id!: string;
  @Property('version', 'number') version!: number;
  @Property('schemaHash', 'string') schemaHash!: string;
  @Property('ownerMsp', 'string') ownerMsp!: string;
  @Property('txId', 'string') txId!: string;
}

/** One version in ListSchemaVersions. */
@DataType()
export class SchemaVersionSummary implements SummaryShape {
  @Property('version', 'number') version!: number;
  @Property('schemaHash', 'string') schemaHash!: string;
  @Property('personalFields', 'string[]') personalFields!: string[];
  @Property('registeredAt', 'string') registeredAt!: string;
  @Property('txId', 'string') txId!: string;
}
