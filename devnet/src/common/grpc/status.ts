import { constants as h2 } from 'node:http2';
import type { IncomingHttpHeaders } from 'node:http2';
import { Metadata, status as Status } from '@grpc/grpc-js';
import type { ServiceError, StatusObject } from '@grpc/grpc-js';

/**
 * How a call ended, as grpc-js reports it: the code, the details text and the trailers' metadata.
 * The functions below reproduce grpc-js 1.14's (subchannel-call.ts) mapping of what the server or the
 * connection did to a status, so that callers see the same codes and texts with either client.
 */
export type CallStatus = StatusObject;

/** A status with empty metadata. */
export function callStatus(code: Status, details: string): CallStatus {
  return { code, details, metadata: new Metadata() };
}

/** grpc-js's status for a response that ended without grpc-status but with a non-200 HTTP status. */
export function statusFromHttpCode(httpStatus: number): CallStatus {
  let code: Status;
  switch (httpStatus) {
    case 400:
      code = Status.INTERNAL;
      break;
    case 401:
      code = Status.UNAUTHENTICATED;
      break;
    case 403:
      code = Status.PERMISSION_DENIED;
      break;
    case 404:
      code = Status.UNIMPLEMENTED;
      break;
    case 429:
    case 502:
    case 503:
    case 504:
      code = Status.UNAVAILABLE;
      break;
    default:
      code = Status.UNKNOWN;
  }
  return callStatus(code, `Received HTTP status code ${httpStatus}`);
}

/**
 * The status in a response's trailers (or a trailers-only response's headers): grpc-status, and
 * grpc-message URI-decoded (grpc-js uses decodeURI; an undecodable text is kept as it is). The other
 * trailers become the status's metadata. Without grpc-status: the HTTP status's mapping, or UNKNOWN.
 */
export function statusFromTrailers(headers: IncomingHttpHeaders, httpStatus: number | undefined): CallStatus {
  let metadata: Metadata;
  try {
    metadata = Metadata.fromHttp2Headers(headers);
  } catch {
    metadata = new Metadata();
  }
  const grpcStatus = headers['grpc-status'];
  if (typeof grpcStatus === 'string') {
    metadata.remove('grpc-status');
    let details = '';
    const message = headers['grpc-message'];
    if (typeof message === 'string') {
      try {
        details = decodeURI(message);
      } catch {
        details = message;
      }
      metadata.remove('grpc-message');
    }
    return { code: Number(grpcStatus), details, metadata };
  }
  if (httpStatus) return { ...statusFromHttpCode(httpStatus), metadata };
  return { code: Status.UNKNOWN, details: 'No status information received', metadata };
}

/**
 * The status of a stream that closed before a status was received, from its RST_STREAM code (grpc-js's
 * mapping). `connectionDropped`: the connection went away under the stream; `internalError`: the
 * stream's own error event, if any.
 */
export function statusFromReset(
  rstCode: number,
  httpStatus: number | undefined,
  connectionDropped: boolean,
  internalError: (Error & { code?: string }) | null,
): CallStatus {
  switch (rstCode) {
    case h2.NGHTTP2_NO_ERROR:
      if (httpStatus && httpStatus !== 200) return statusFromHttpCode(httpStatus);
      return callStatus(
        Status.INTERNAL,
        `Received RST_STREAM with code ${rstCode} (Call ended without gRPC status)`,
      );
    case h2.NGHTTP2_REFUSED_STREAM:
      return callStatus(Status.UNAVAILABLE, 'Stream refused by server');
    case h2.NGHTTP2_CANCEL:
      return connectionDropped
        ? callStatus(Status.UNAVAILABLE, 'Connection dropped')
        : callStatus(Status.CANCELLED, 'Call cancelled');
    case h2.NGHTTP2_ENHANCE_YOUR_CALM:
      return callStatus(Status.RESOURCE_EXHAUSTED, 'Bandwidth exhausted or memory limit exceeded');
    case h2.NGHTTP2_INADEQUATE_SECURITY:
      return callStatus(Status.PERMISSION_DENIED, 'Protocol not secure enough');
    case h2.NGHTTP2_INTERNAL_ERROR:
      if (internalError === null) {
        return callStatus(
          Status.INTERNAL,
          `Received RST_STREAM with code ${rstCode} (Internal server error)`,
        );
      }
      if (internalError.code === 'ECONNRESET' || internalError.code === 'ETIMEDOUT') {
        return callStatus(Status.UNAVAILABLE, internalError.message);
      }
      return callStatus(
        Status.INTERNAL,
        `Received RST_STREAM with code ${rstCode} triggered by internal client error: ${internalError.message}`,
      );
    default:
      return callStatus(Status.INTERNAL, `Received RST_STREAM with code ${rstCode}`);
  }
}

/** The error a failed call rejects or emits with: grpc-js's ServiceError ("<code> <NAME>: <details>"). */
export function callError(status: CallStatus): ServiceError {
  const message = `${status.code} ${Status[status.code]}: ${status.details}`;
  return Object.assign(new Error(message), status) as ServiceError;
}
