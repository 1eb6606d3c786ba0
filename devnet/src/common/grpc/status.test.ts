import { constants as h2 } from 'node:http2';
import { status as Status } from '@grpc/grpc-js';
import { callError, statusFromHttpCode, statusFromReset, statusFromTrailers } from './status';

describe('gRPC status mapping (as grpc-js)', () => {
  it('reads grpc-status and the URI-decoded grpc-message; other trailers are metadata', () => {
    const s = statusFromTrailers(
      { 'grpc-status': '9', 'grpc-message': 'not%20ready: %C3%BC 100%25', 'x-extra': 'v' },
      200,
    );
    expect(s.code).toBe(Status.FAILED_PRECONDITION);
    expect(s.details).toBe('not ready: ü 100%');
    expect(s.metadata.get('x-extra')).toEqual(['v']);
    expect(s.metadata.get('grpc-status')).toEqual([]);
  });

  it('keeps an undecodable grpc-message as it is', () => {
    expect(statusFromTrailers({ 'grpc-status': '2', 'grpc-message': 'bad %E0%A4%A' }, 200).details).toBe(
      'bad %E0%A4%A',
    );
  });

  it('maps a missing grpc-status to the HTTP status, or UNKNOWN', () => {
    expect(statusFromTrailers({}, 503)).toMatchObject({
      code: Status.UNAVAILABLE,
      details: 'Received HTTP status code 503',
    });
    expect(statusFromHttpCode(404).code).toBe(Status.UNIMPLEMENTED);
    expect(statusFromHttpCode(418).code).toBe(Status.UNKNOWN);
    expect(statusFromTrailers({}, undefined)).toMatchObject({
      code: Status.UNKNOWN,
      details: 'No status information received',
    });
  });

  it('maps RST_STREAM codes', () => {
    expect(statusFromReset(h2.NGHTTP2_REFUSED_STREAM, 200, false, null)).toMatchObject({
      code: Status.UNAVAILABLE,
      details: 'Stream refused by server',
    });
    expect(statusFromReset(h2.NGHTTP2_CANCEL, 200, false, null)).toMatchObject({
      code: Status.CANCELLED,
      details: 'Call cancelled',
    });
    expect(statusFromReset(h2.NGHTTP2_CANCEL, 200, true, null)).toMatchObject({
      code: Status.UNAVAILABLE,
      details: 'Connection dropped',
    });
    expect(statusFromReset(h2.NGHTTP2_NO_ERROR, 200, false, null)).toMatchObject({
      code: Status.INTERNAL,
      details: 'Received RST_STREAM with code 0 (Call ended without gRPC status)',
    });
    expect(
      statusFromReset(
        h2.NGHTTP2_INTERNAL_ERROR,
        200,
        false,
        Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      ),
    ).toMatchObject({
      code: Status.UNAVAILABLE,
      details: 'read ECONNRESET',
    });
    expect(statusFromReset(h2.NGHTTP2_FLOW_CONTROL_ERROR, 200, false, null).details).toBe(
      'Received RST_STREAM with code 3',
    );
  });

  it("builds grpc-js's ServiceError", () => {
    const err = callError({ ...statusFromHttpCode(503) });
    expect(err.message).toBe('14 UNAVAILABLE: Received HTTP status code 503');
    expect(err).toMatchObject({ code: 14, details: 'Received HTTP status code 503' });
    expect(err).toBeInstanceOf(Error);
  });
});
