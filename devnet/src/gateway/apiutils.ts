import * as grpc from '@grpc/grpc-js';
import { gateway, google, peer } from '@hyperledger/fabric-protos';
import { Any } from 'google-protobuf/google/protobuf/any_pb';

/** The metadata key under which gRPC carries a serialized google.rpc.Status (what fabric-gateway reads). */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

/** type_url of the ErrorDetail messages packed into google.rpc.Status.details. */
export const ERROR_DETAIL_TYPE_URL = 'type.googleapis.com/gateway.ErrorDetail';

/** Fabric's core/chaincode ErrorStreamTerminated: the chaincode's stream broke (the process probably crashed). */
export const ERROR_STREAM_TERMINATED = 'chaincode stream terminated';

/**
 * A gateway failure as the client will see it: gRPC code, message, and one ErrorDetail per endorser or
 * orderer that failed (fabric internal/pkg/gateway apiutils.go newRpcError).
 */
export class GatewayRpcError extends Error {
  /**
   * @param code - gRPC status code.
   * @param message - the status message (grpc-message).
   * @param details - ErrorDetail{address, msp_id, message} per failed node.
   */
  constructor(
    readonly code: grpc.status,
    message: string,
    readonly details: gateway.ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'GatewayRpcError';
  }

  /** The status object for a grpc-js callback or `call.emit('error', …)`, details in `grpc-status-details-bin`. */
  toServiceError(): grpc.ServerErrorResponse {
    const metadata = new grpc.Metadata();
    if (this.details.length > 0) {
      metadata.set(STATUS_DETAILS_KEY, Buffer.from(encodeStatus(this.code, this.message, this.details)));
    }
    return Object.assign(new Error(this.message), { code: this.code, details: this.message, metadata });
  }
}

/** fabric newRpcError: a status with the given details attached. */
export function newRpcError(
  code: grpc.status,
  message: string,
  details: gateway.ErrorDetail[] = [],
): GatewayRpcError {
  return new GatewayRpcError(code, message, details);
}

/** fabric errorDetail: which node failed and why. */
export function errorDetail(address: string, mspId: string, message: string): gateway.ErrorDetail {
  const detail = new gateway.ErrorDetail();
  detail.setAddress(address);
  detail.setMspId(mspId);
  detail.setMessage(message);
  return detail;
}

/** Serializes google.rpc.Status{code, message, details: [Any(gateway.ErrorDetail)]}. */
export function encodeStatus(code: grpc.status, message: string, details: gateway.ErrorDetail[]): Uint8Array {
  const status = new google.rpc.Status();
  status.setCode(code);
  status.setMessage(message);
  status.setDetailsList(
    details.map((detail) => {
      const any = new Any();
      any.setTypeUrl(ERROR_DETAIL_TYPE_URL);
      any.setValue(detail.serializeBinary());
      return any;
    }),
  );
  return status.serializeBinary();
}

/** Reads the ErrorDetails back out of a serialized google.rpc.Status (the inverse of encodeStatus). */
export function decodeStatusDetails(bytes: Uint8Array): gateway.ErrorDetail[] {
  return google.rpc.Status.deserializeBinary(bytes)
    .getDetailsList()
    .filter((any) => any.getTypeUrl() === ERROR_DETAIL_TYPE_URL)
    .map((any) => gateway.ErrorDetail.deserializeBinary(any.getValue_asU8()));
}

/** How the gateway reacts to one endorser's answer (fabric apiutils.go responseStatus). */
export interface ResponseStatus {
  /** grpc.status.OK on success. */
  code: grpc.status;
  message: string;
  /** Evaluate may try another peer. */
  retry: boolean;
  /** Drop the connection to this endorser. */
  remove: boolean;
}

/**
 * Classifies an endorser's answer as Fabric's gateway does: no response (gRPC failure) → Unavailable, retry on
 * another peer; a response with an error (the local peer's checks failed) → FailedPrecondition; status 500 without
 * payload (the peer failed, not the chaincode) → Aborted, retry; other status < 200 or >= 400 (the chaincode
 * said no) → Unknown "chaincode response <status>, <message>".
 */
export function responseStatus(response: peer.ProposalResponse | undefined, error?: unknown): ResponseStatus {
  if (error !== undefined) {
    const message = errorMessage(error);
    if (response === undefined) return { code: grpc.status.UNAVAILABLE, message, retry: true, remove: true };
    return { code: grpc.status.FAILED_PRECONDITION, message, retry: false, remove: false };
  }
  const status = response?.getResponse()?.getStatus() ?? 0;
  const msg = response?.getResponse()?.getMessage() ?? '';
  if (status < 200 || status >= 400) {
    if (response!.getPayload_asU8().length === 0 && status === 500) {
      const crashed = msg.endsWith(ERROR_STREAM_TERMINATED);
      return { code: grpc.status.ABORTED, message: msg, retry: true, remove: crashed };
    }
    return {
      code: grpc.status.UNKNOWN,
      message: `chaincode response ${status}, ${msg}`,
      retry: false,
      remove: false,
    };
  }
  return { code: grpc.status.OK, message: '', retry: false, remove: false };
}

/** An error's text; gRPC client errors are spelt as Go's grpc status error (`rpc error: code = X desc = Y`). */
export function errorMessage(error: unknown): string {
  if (isServiceError(error)) return `rpc error: code = ${goCodeName(error.code)} desc = ${error.details}`;
  return error instanceof Error ? error.message : String(error);
}

/** Go's name for a gRPC code (codes.Code.String()): `DEADLINE_EXCEEDED` → `DeadlineExceeded`. */
export function goCodeName(code: grpc.status): string {
  const name = grpc.status[code];
  if (name === undefined) return `Code(${code})`;
  if (name === 'OK') return 'OK';
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** Whether an error came from a grpc-js client call. */
export function isServiceError(error: unknown): error is grpc.ServiceError {
  return (
    error instanceof Error && typeof (error as grpc.ServiceError).code === 'number' && 'metadata' in error
  );
}

/** Any failure as a GatewayRpcError: a GatewayRpcError stays as it is, anything else gets `unknownCode`. */
export function toRpcError(error: unknown, unknownCode: grpc.status): GatewayRpcError {
  if (error instanceof GatewayRpcError) return error;
  return newRpcError(unknownCode, errorMessage(error));
}
