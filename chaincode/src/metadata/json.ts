import { Object as DataType } from 'fabric-contract-api';

/**
 * Any JSON object (a payload, a schema, the details of a trail entry): described as an object
 * without fixed properties. fabric-contract-api has no "any object" type, and its metadata must
 * resolve every name, so the open shapes refer to this one.
 */
@DataType()
export class JsonObject {}
