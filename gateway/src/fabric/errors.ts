import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { ApiError, ErrorCode } from '../errors';

/**
 * How Fabric's gateway reports a chaincode's error response: `chaincode response <status>, <message>`
 * (fabric internal/pkg/gateway/apiutils.go, responseStatus), inside each endorser's ErrorDetail and,
 * for Evaluate, also in the status message.
 */
const chaincodeResponsePattern = /chaincode response (\d{3}), ([\s\S]*)$/;

/** A chaincode's error response found in a Fabric gateway error. */
export interface ChaincodeFailure {
  status: number;
  message: string;
}

/** The transaction validation code's name (`MVCC_READ_CONFLICT`), as fabric-protos names it. */
export function validationCodeName(code: number): string {
  const entry = Object.entries(StatusCode).find(([, value]) => value === code);
  return entry ? entry[0] : `UNKNOWN_VALIDATION_CODE_${code}`;
}

/** The gRPC status code's name (`UNAVAILABLE`). */
export function grpcStatusName(code: number): string {
  return GrpcStatus[code] ?? `UNKNOWN_GRPC_STATUS_${code}`;
}

/**
 * The ErrorDetail message Fabric's gateway gives an endorser whose ProposalResponsePayload differs
 * from the first endorser's (fabric internal/pkg/gateway/endorsement.go, processEndorsement).
 */
const PAYLOAD_MISMATCH = 'ProposalResponsePayloads do not match';

/**
 * How Fabric's gateway words an endorsement that failed after its first endorser succeeded (or
 * among organizations the client named); a failure of the first endorser it chose is "failed to
 * endorse transaction" (fabric internal/pkg/gateway/endorse.go).
 */
const COLLECT_FAILED = 'failed to collect enough transaction endorsements';

/**
 * Whether the endorsers ran the chaincode and answered differently: results that differ
 * ("ProposalResponsePayloads do not match"), or a refusal while another endorser succeeded. With one peer per
 * ministry the usual cause is a peer a block behind the others: it has not yet seen a record that
 * was just registered, or read an older version of a key that block changed. The same transaction
 * endorsed a moment later agrees; nothing was ordered. An endorser that succeeded shows in Fabric's
 * answer as a named organization missing from the failures, or, when the gateway chose the
 * endorsers, as {@link COLLECT_FAILED} (its first, own-organization endorser succeeded).
 * A deterministic chaincode on the same state answers alike everywhere, so disagreement that lasts
 * means a chaincode that is not deterministic.
 * @param namedOrganizations - the endorsing organizations the request named (empty: the gateway chose)
 */
export function endorsersDisagreed(err: unknown, namedOrganizations: readonly string[] = []): boolean {
  if (!(err instanceof GatewayError) || err.details.length === 0) return false;
  const ranChaincode = (message: string): boolean =>
    message === PAYLOAD_MISMATCH || chaincodeResponsePattern.test(message);
  if (!err.details.every((detail) => ranChaincode(detail.message))) return false;
  // A mismatch is two successful endorsements with different results.
  if (err.details.some((detail) => detail.message === PAYLOAD_MISMATCH)) return true;
  if (namedOrganizations.length > 0) {
    const refused = new Set(err.details.map((detail) => detail.mspId));
    return namedOrganizations.some((mspId) => !refused.has(mspId));
  }
  return err.message.includes(COLLECT_FAILED);
}

/** Whether the endorsers' only failures are payloads that differed from the first one's. */
function payloadsDiffered(err: GatewayError): boolean {
  return err.details.length > 0 && err.details.every((detail) => detail.message === PAYLOAD_MISMATCH);
}

/** Finds the chaincode's own error response in the error details, else in the error message. */
export function findChaincodeFailure(err: GatewayError): ChaincodeFailure | undefined {
  const messages = [...err.details.map((detail) => detail.message), err.message];
  for (const text of messages) {
    const match = chaincodeResponsePattern.exec(text);
    if (match) return { status: Number(match[1]), message: match[2] };
  }
  return undefined;
}

/**
 * How the egov chaincode's messages are classified, first match wins. fabric-contract-api answers
 * every thrown error with status 500 and the error's message, so the message is all there is
 * (chaincode/src/lib/errors.ts lists egov's errors).
 */
const chaincodeMessageClasses: readonly [RegExp, ErrorCode][] = [
  // The chaincode has no such transaction: a gateway/chaincode version mismatch, not the client's fault.
  [/asked to invoke a function that does not exist|does not match schema type/i, 'CHAINCODE_FAILED'],
  // StateCorruptError: the ledger holds something the chaincode cannot read.
  [/^state (of|under) |points at missing/i, 'CHAINCODE_FAILED'],
  [/already exists|is already registered/i, 'ALREADY_EXISTS'],
  // A one-time step taken before (egov's AlreadyExistsError for claims, vouchers, rewards and
  // decisions; a grant revoked twice): the request is well formed, the ledger's state refuses it.
  [/\b(was|were) already (claimed|redeemed|paid|revoked|used|spent)\b|\balready decided\b/i, 'ALREADY_USED'],
  // A status transition the object's current status does not allow (model/record.ts's
  // "record X is REVOKED; RevokeRecord applies only to ...", "proposal X is CONFIRMED, not OPEN").
  [/ is [A-Z_]+(, not [A-Z_]+$|; \w+ applies only to )/, 'WRONG_STATUS'],
  // NotFoundError's messages.
  [
    /does not exist|not found|no schema is registered|has no (version|personal data)|is not held by this peer|no currency is issued yet/i,
    'NOT_FOUND',
  ],
  // AccessDeniedError
  [
    /access denied|not authori[sz]ed|forbidden|permission|requires an admin|is not an admin|is not an X\.509|requires the ministry's admin|lacks role|; only \S+ (may|registers)|only its admins|only the root admin|cannot delegate|is not registered for governance/i,
    'FORBIDDEN',
  ],
  // The token contract's AccessDeniedError (chaincode/src/lib/authz-token.ts).
  [
    /is reserved to the central bank|; the caller from \S+ may not|only its holder may|is visible to \S+ and the central bank only/i,
    'FORBIDDEN',
  ],
];

/**
 * Turns a chaincode's error response into an API error carrying the chaincode's message: duplicates
 * one-time steps taken before (a deposit already claimed, a voucher already redeemed) and steps the
 * object's status does not allow (a revoked record revoked again, a vote on a closed proposal) are 409,
 * missing objects 404, refused identities 403, broken state or a missing transaction 502, and
 * anything else (InvalidArgumentError and the like) 400. This table is the only place chaincode
 * messages are classified.
 */
export function chaincodeFailureToApiError(failure: ChaincodeFailure): ApiError {
  const match = chaincodeMessageClasses.find(([pattern]) => pattern.test(failure.message));
  return new ApiError(match ? match[1] : 'CHAINCODE_REJECTED', failure.message, {
    chaincodeStatus: failure.status,
  });
}

/** A raw gRPC error (`ServiceError`), e.g. from waitForReady or a call fabric-gateway did not wrap. */
function isGrpcServiceError(err: unknown): err is Error & { code: number } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'number' && 'metadata' in err;
}

/**
 * Maps a gRPC status code to the HTTP meaning of "the Fabric network failed us". The peer's own
 * message (addresses, internals) is logged by the error handler, not sent to the client.
 */
function grpcFailureToApiError(code: number, transactionId?: string): ApiError {
  const details = { grpcStatus: grpcStatusName(code), ...(transactionId ? { transactionId } : {}) };
  switch (code) {
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.CANCELLED:
      return new ApiError('PEER_UNAVAILABLE', 'the Fabric peer is unavailable', details);
    case GrpcStatus.DEADLINE_EXCEEDED:
      return new ApiError('PEER_TIMEOUT', 'the Fabric peer did not answer in time', details);
    default:
      return new ApiError(
        'FABRIC_ERROR',
        `the Fabric network refused the request (${grpcStatusName(code)})`,
        details,
      );
  }
}

/**
 * The peers' refusal of the identity that signed (a revoked certificate, one of no channel member):
 * Fabric's endorser answers `access denied: channel [C] creator org unknown, creator is malformed`
 * (core/endorser/msgvalidation.go), which the gateway reports as the endorsers' failure. The
 * request's signer is refused, not the network broken: 403.
 */
function creatorRefusal(err: GatewayError): ApiError | undefined {
  const texts = [err.message, ...err.details.map((detail) => detail.message)];
  if (!texts.some((text) => /access denied/i.test(text))) return undefined;
  return new ApiError(
    'FORBIDDEN',
    'the peers refused the identity this request is signed with (access denied): it may have been revoked',
    { grpcStatus: grpcStatusName(err.code) },
  );
}

/**
 * Endorsers whose results still differed after the retries: the network's failure, named as such
 * rather than as a bare gRPC status. (A disagreement with a refusal in it is the refusal's error.)
 */
function disagreement(err: GatewayError, transactionId: string | undefined): ApiError | undefined {
  if (!payloadsDiffered(err)) return undefined;
  return new ApiError(
    'FABRIC_ERROR',
    'the endorsing peers returned different results (ProposalResponsePayloads do not match): a peer is behind the others or the chaincode is not deterministic; nothing was ordered',
    { grpcStatus: grpcStatusName(err.code), ...(transactionId ? { transactionId } : {}) },
  );
}

/**
 * Adds the problem members `endorsers` (each endorser's MSP ID and message, as Fabric's gateway
 * reported them; peer addresses stay in the log) and `transactionId` when the error has them.
 */
function withEndorsers(apiError: ApiError, err: GatewayError, transactionId: string | undefined): ApiError {
  const extensions: Record<string, unknown> = { ...apiError.extensions };
  if (transactionId) extensions.transactionId = transactionId;
  if (err.details.length > 0) {
    extensions.endorsers = err.details.map((detail) => ({ mspId: detail.mspId, message: detail.message }));
  }
  return new ApiError(apiError.code, apiError.message, apiError.details, extensions);
}

/**
 * Turns an error thrown by @hyperledger/fabric-gateway (GatewayError and its EndorseError,
 * SubmitError and CommitStatusError, CommitError, or a raw gRPC error) into an {@link ApiError};
 * returns undefined for anything else (a bug: the caller answers 500).
 */
export function fabricErrorToApiError(err: unknown): ApiError | undefined {
  if (err instanceof CommitError) {
    const name = validationCodeName(err.code);
    return new ApiError(
      'TRANSACTION_INVALID',
      `transaction ${err.transactionId} was invalidated by the peers: ${name}`,
      {
        transactionId: err.transactionId,
        validationCode: name,
      },
    );
  }
  if (err instanceof GatewayError) {
    const failure = findChaincodeFailure(err);
    const id = (err as { transactionId?: unknown }).transactionId;
    const transactionId = typeof id === 'string' ? id : undefined;
    const mapped = failure
      ? chaincodeFailureToApiError(failure)
      : (creatorRefusal(err) ??
        disagreement(err, transactionId) ??
        grpcFailureToApiError(err.code, transactionId));
    return withEndorsers(mapped, err, transactionId);
  }
  if (isGrpcServiceError(err)) return grpcFailureToApiError(err.code);
  return undefined;
}

/**
 * How Fabric's gateway reports a broadcast the orderer answered with a client-error status (4xx):
 * Aborted `received unsuccessful response from orderer: status=<common.Status>, info=<info>`
 * (fabric internal/pkg/gateway/submit.go). It does not try another orderer: the refusal is definite.
 */
const ordererRefusalPattern = /received unsuccessful response from orderer: status=(\w+), info=([\s\S]*)$/;

/**
 * A failed submit (fabric-gateway's SubmitError) that certainly ordered nothing, as an {@link ApiError}: the orderer refused the
 * transaction (ORDERER_REFUSED with `ordererStatus`, `ordererInfo` and `transactionId`), or the
 * peer's gateway refused the request before broadcasting it (INVALID_ARGUMENT, FAILED_PRECONDITION:
 * FABRIC_ERROR). Undefined for anything else (a lost connection, a deadline, orderers unavailable):
 * the transaction may still be ordered, so the outcome is unknown.
 */
export function definiteSubmitRefusal(err: unknown, transactionId: string): ApiError | undefined {
  // fabric-gateway exports SubmitError as a type only: what a submit throws is a GatewayError.
  if (!(err instanceof GatewayError)) return undefined;
  const texts = [err.message, ...err.details.map((detail) => detail.message)];
  const refusal =
    err.code === GrpcStatus.ABORTED
      ? texts.map((text) => ordererRefusalPattern.exec(text)).find((match) => match !== null)
      : undefined;
  if (refusal) {
    return new ApiError(
      'ORDERER_REFUSED',
      `the orderer refused transaction ${transactionId} (${refusal[1]}): ${refusal[2]}; it was not ordered`,
      { transactionId, ordererStatus: refusal[1], ordererInfo: refusal[2] },
    );
  }
  if (err.code === GrpcStatus.INVALID_ARGUMENT || err.code === GrpcStatus.FAILED_PRECONDITION) {
    return grpcFailureToApiError(err.code, transactionId);
  }
  return undefined;
}
