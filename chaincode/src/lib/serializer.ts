import { JSONSerializer } from 'fabric-contract-api';
import { canonicalJson } from './canonical';

/**
 * The transaction serializer egov registers with fabric-contract-api (index.ts `serializers`).
 * It reads arguments exactly like the default JSONSerializer but writes object results as canonical
 * JSON without class-transformer: with class-transformer 0.4.1 (what `^0.4.0` resolves to) the
 * default serializer fails every object result, including org.hyperledger.fabric:GetMetadata,
 * with "classToPlain is not a function". Canonical output also keeps results byte-identical
 * across endorsers.
 */
export class CanonicalSerializer extends JSONSerializer {
  /**
   * Encodes a transaction result: strings, numbers and booleans as their text (the wire format
   * fabric-contract-api clients expect), anything else as canonical JSON.
   * @throws Error when the result does not match a declared string/number return type.
   */
  override toBuffer(result: unknown, schema: { type?: string } = {}): Buffer {
    if (result === undefined || result === null) {
      return undefined as unknown as Buffer; // no payload, like JSONSerializer
    }
    if ((schema.type === 'string' || schema.type === 'number') && typeof result !== schema.type) {
      throw new Error(`Returned value is ${typeof result} does not match schema type of ${schema.type}`);
    }
    if (typeof result === 'string' || typeof result === 'number' || typeof result === 'boolean') {
      return Buffer.from(result.toString());
    }
    // JSON.stringify first: applies toJSON (Buffers), drops functions, as the default serializer does
    return Buffer.from(canonicalJson(JSON.parse(JSON.stringify(result)), 'transaction result'));
  }
}

/** The `serializers` export fabric-chaincode-node's bootstrap looks for in the chaincode module. */
export const serializers = {
  transaction: 'canonicalSerializer',
  serializers: { canonicalSerializer: CanonicalSerializer },
};
