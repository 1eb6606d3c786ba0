import { EventEmitter } from 'node:events';
import { Metadata, status as Status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { LeanCall, LeanCallOptions } from './leancall';
import type { LeanChannel } from './leanchannel';
import { CallStatus, callError } from './status';

/** How a method's messages become bytes and back (grpc-js's requestSerialize / responseDeserialize). */
export interface LeanMethod<Req, Res> {
  /** The method's HTTP/2 path, e.g. `/protos.Chaincode/Connect`. */
  path: string;
  serialize(request: Req): Uint8Array;
  deserialize(bytes: Buffer): Res;
}

/**
 * A bidirectional-streaming call as grpc-js's ClientDuplexStream presents it to devnet: write() /
 * end() / cancel(), events 'data' (each response), 'metadata', 'drain', then 'error' if the status is
 * not OK (a grpc-js ServiceError with the status's code, details and metadata), 'status', 'end' and
 * 'close'. Responses are delivered as they arrive (no read-side buffering: consumers handle them at once).
 * A request that fails to serialize cancels the call with INTERNAL "Serialization failure: ...", a
 * response that fails to parse with INTERNAL "Response message parsing error: ...", as grpc-js.
 */
export class LeanDuplexStream<Req, Res> extends EventEmitter {
  private readonly call: LeanCall;

  constructor(
    channel: LeanChannel,
    private readonly method: LeanMethod<Req, Res>,
    options?: LeanCallOptions,
  ) {
    super();
    this.call = new LeanCall(
      channel,
      method.path,
      {
        onMessage: (bytes) => this.onMessage(bytes),
        onStatus: (status) => this.onStatus(status),
        onMetadata: (headers) => {
          if (this.listenerCount('metadata') > 0) this.emit('metadata', Metadata.fromHttp2Headers(headers));
        },
        onDrain: () => this.emit('drain'),
      },
      options,
    );
    this.call.start();
  }

  /** Sends one request; false: wait for 'drain' (or the call is over). */
  write(request: Req): boolean {
    let bytes: Uint8Array;
    try {
      bytes = this.method.serialize(request);
    } catch (err) {
      this.call.cancelWithStatus(Status.INTERNAL, `Serialization failure: ${(err as Error).message}`);
      return false;
    }
    return this.call.write(bytes);
  }

  /** No more requests. */
  end(): void {
    this.call.end();
  }

  /** Ends the call with CANCELLED "Cancelled on client". */
  cancel(): void {
    this.call.cancelWithStatus(Status.CANCELLED, 'Cancelled on client');
  }

  private onMessage(bytes: Buffer): void {
    let message: Res;
    try {
      message = this.method.deserialize(bytes);
    } catch (err) {
      this.call.cancelWithStatus(
        Status.INTERNAL,
        `Response message parsing error: ${(err as Error).message}`,
      );
      return;
    }
    this.emit('data', message);
  }

  /** grpc-js's order: 'error' (not OK), 'status', then 'end' (the readable side ends either way), 'close'. */
  private onStatus(status: CallStatus): void {
    if (status.code !== Status.OK) this.emit('error', callError(status));
    this.emit('status', status);
    this.emit('end');
    this.emit('close');
  }
}

/** A unary call in flight; cancel() ends it with CANCELLED "Cancelled on client". */
export interface LeanUnaryCall {
  cancel(): void;
}

/**
 * A unary call as grpc-js's makeUnaryRequest: `callback` gets the one response, or a ServiceError
 * (the call's status; UNIMPLEMENTED "No message received" for an OK status without a response,
 * UNIMPLEMENTED "Too many responses received" for a second one).
 */
export function leanUnaryCall<Req, Res>(
  channel: LeanChannel,
  method: LeanMethod<Req, Res>,
  request: Req,
  options: LeanCallOptions,
  callback: (err: ServiceError | null, response?: Res) => void,
): LeanUnaryCall {
  let response: Res | undefined;
  let received = false;
  const call = new LeanCall(
    channel,
    method.path,
    {
      onMessage: (bytes) => {
        if (received) {
          call.cancelWithStatus(Status.UNIMPLEMENTED, 'Too many responses received');
          return;
        }
        received = true;
        try {
          response = method.deserialize(bytes);
        } catch (err) {
          call.cancelWithStatus(Status.INTERNAL, `Response message parsing error: ${(err as Error).message}`);
        }
      },
      onStatus: (status) => {
        if (status.code !== Status.OK) callback(callError(status));
        else if (!received)
          callback(callError({ ...status, code: Status.UNIMPLEMENTED, details: 'No message received' }));
        else callback(null, response);
      },
    },
    options,
  );
  let bytes: Uint8Array | undefined;
  try {
    bytes = method.serialize(request);
  } catch (err) {
    call.cancelWithStatus(Status.INTERNAL, `Serialization failure: ${(err as Error).message}`);
  }
  call.start();
  if (bytes) {
    call.write(bytes);
    call.end();
  }
  return { cancel: () => call.cancelWithStatus(Status.CANCELLED, 'Cancelled on client') };
}
