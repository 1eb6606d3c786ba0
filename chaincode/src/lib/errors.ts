/**
 * Errors thrown by the egov transactions. fabric-contract-api turns a thrown error into a chaincode
 * response with status 500 and the error's message, which the client sees in the endorsement error
 * details; so every message says what was wrong. Messages never echo payload or subject values,
 * because fabric-shim also logs them on the chaincode server.
 */

/** Base class: lets callers and tests tell egov's own rejections from unexpected failures. */
export class EgovError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An argument (or one field of a JSON argument) is missing or malformed. */
export class InvalidArgumentError extends EgovError {}

/** The ledger holds no object under the requested id. */
export class NotFoundError extends EgovError {}

/** The ledger already holds an object under the id the caller wants to create. */
export class AlreadyExistsError extends EgovError {}

/** The calling identity is not allowed to run the transaction. */
export class AccessDeniedError extends EgovError {}

/** The ledger holds a value that egov cannot read (corrupt or written by something else). */
export class StateCorruptError extends EgovError {}

/** A query matched more entries than a transaction may read at once. */
export class LimitExceededError extends EgovError {}

/** An account holds less than a movement needs; the message names the account, the amount and the shortfall. */
export class InsufficientFundsError extends EgovError {}
