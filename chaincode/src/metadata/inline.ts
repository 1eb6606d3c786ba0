/**
 * Moves the `@Object` data types into the transactions that use them.
 *
 * fabric-shim 2.5.8 (the newest) compiles the metadata's `components.schemas` at start and keeps
 * the validators under `contractImplementations.schemas`: the same map that holds the contracts by
 * name, so with any component at all it replaces egov's `schemas` contract and every
 * `schemas:*` transaction fails ("Cannot read properties of undefined (reading 'createContext')").
 * Inlining each type where a transaction names it, and leaving no components, keeps the full typed
 * description in GetMetadata on every fabric-shim, devnet's and real Fabric's alike.
 */

/** A JSON schema fragment as fabric-contract-api's decorators write them. */
interface Schema {
  $ref?: string;
  $id?: string;
  cnstr?: unknown;
  items?: Schema;
  additionalProperties?: Schema;
  properties?: Record<string, Schema>;
  [keyword: string]: unknown;
}

/** The parts of a transaction's metadata that hold schemas. */
interface TransactionMetadata {
  returns?: Schema;
  parameters?: { schema: Schema }[];
}

/** The reflect-metadata calls fabric-contract-api makes (it loads reflect-metadata itself). */
const reflect = Reflect as unknown as {
  getMetadata(key: string, target: object): unknown;
  defineMetadata(key: string, value: unknown, target: object): void;
};

/** `#/components/schemas/LedgerRecord` or `LedgerRecord` → `LedgerRecord`. */
function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** `schema` with every reference to a data type replaced by the type's own schema. */
function inline(schema: Schema, objects: Record<string, Schema>, seen: readonly string[] = []): Schema {
  if (schema.$ref !== undefined) {
    const name = refName(schema.$ref);
    const target = objects[name];
    if (!target) throw new Error(`contract metadata names an unknown data type ${name}`);
    if (seen.includes(name)) throw new Error(`data type ${name} contains itself`);
    const rest: Schema = { ...target };
    delete rest.cnstr; // the class itself: not JSON
    delete rest.$id;
    return { title: name, ...inline(rest, objects, [...seen, name]) };
  }
  const out: Schema = { ...schema };
  if (schema.items) out.items = inline(schema.items, objects, seen);
  if (schema.additionalProperties)
    out.additionalProperties = inline(schema.additionalProperties, objects, seen);
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, inline(value, objects, seen)]),
    );
  }
  return out;
}

/**
 * Replaces the data type references in `contracts`' transaction metadata with the types' schemas
 * and empties fabric-contract-api's registry of data types. Call once, after every contract and
 * data type module is loaded and before fabric-shim reads the metadata.
 */
export function inlineDataTypes(contracts: readonly (abstract new (...args: never[]) => object)[]): void {
  const objects = (reflect.getMetadata('fabric:objects', global) ?? {}) as Record<string, Schema>;
  for (const contract of contracts) {
    const transactions = (reflect.getMetadata('fabric:transactions', contract.prototype) ??
      []) as TransactionMetadata[];
    for (const transaction of transactions) {
      if (transaction.returns) transaction.returns = inline(transaction.returns, objects);
      for (const parameter of transaction.parameters ?? [])
        parameter.schema = inline(parameter.schema, objects);
    }
  }
  reflect.defineMetadata('fabric:objects', {}, global);
}
