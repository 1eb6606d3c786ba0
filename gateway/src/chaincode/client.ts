/** Fields sent in the transient map: key → a JSON value (sent as its UTF-8 JSON text) or raw bytes (a salt). */
export type TransientFields = Record<string, unknown>;

/** A committed transaction: the chaincode's parsed result and where it was committed. */
export interface SubmitResult {
  result: unknown;
  transactionId: string;
  /** Block holding the transaction. */
  blockNumber: number;
}

/**
 * The egov chaincode as the HTTP routes see it: any transaction by its qualified name
 * (`governance:Propose`), string arguments, JSON results. The Fabric implementation is
 * `FabricChaincodeClient`; tests inject fakes. Errors are thrown as fabric-gateway throws them.
 */
export interface ChaincodeClient {
  /** Evaluates a query transaction; the parsed JSON result. */
  evaluate(transaction: string, args?: readonly string[]): Promise<unknown>;
  /** Endorses, orders and waits for the commit of a transaction. */
  submit(transaction: string, args?: readonly string[], transient?: TransientFields): Promise<SubmitResult>;
}

/**
 * The two identities a gateway process transacts as: its ministry's user (records, queries) and,
 * when configured, its ministry's admin (governance, schemas, roles).
 */
export interface ChaincodeClients {
  user: ChaincodeClient;
  /** Absent when admin routes are disabled. */
  admin?: ChaincodeClient;
}
