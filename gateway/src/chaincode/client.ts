import type { z } from 'zod';

/** The egov chaincode's first (default) contract, holding records: `ledger:RegisterRecord`. */
export const LEDGER_CONTRACT = 'ledger';

/**
 * The shape a transaction's JSON result must have; a result of another shape is a
 * BAD_CHAINCODE_RESPONSE (for a submit, found before ordering: it is never committed).
 */
export type ResultShape = z.ZodType;

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
 * The one service layer between the HTTP routes and Fabric: any egov transaction by its qualified
 * name (`governance:Propose`), string arguments, transient fields, JSON results. The Fabric
 * implementation is `FabricChaincodeClient` (the only code that builds proposals); tests inject
 * fakes. Errors are thrown as fabric-gateway throws them.
 */
export interface ChaincodeClient {
  /** Evaluates a query transaction; the parsed JSON result (checked against `shape` when given). */
  evaluate(transaction: string, args?: readonly string[], shape?: ResultShape): Promise<unknown>;
  /**
   * Endorses, orders and waits for the commit of a transaction (result checked against `shape`).
   * `endorsingOrganizations` names who endorses (a private data collection's members, for
   * transient data only they may see); default: for transient data the client's configured
   * endorsers, else Fabric's plan from the policies.
   */
  submit(
    transaction: string,
    args?: readonly string[],
    transient?: TransientFields,
    shape?: ResultShape,
    endorsingOrganizations?: readonly string[],
  ): Promise<SubmitResult>;
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
