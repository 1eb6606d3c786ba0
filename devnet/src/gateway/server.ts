import * as grpc from '@grpc/grpc-js';
import { gateway } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { TurnQueue } from '../common/turnqueue';
import { errorMessage, toRpcError } from './apiutils';
import { chaincodeEvents } from './chaincodeevents';
import { commitStatus } from './commitstatus';
import type { CallContext, GatewayContext } from './context';
import { defaultGatewayOptions, type GatewayDeps } from './deps';
import { endorse } from './endorse';
import { evaluate } from './evaluate';
import { Registry } from './registry';
import { submit } from './submit';

const logger = getLogger('gateway');

/** Evaluate calls started in one turn of the event loop (see newGatewayImplementation). */
const EVALUATIONS_PER_TURN = 6;
/** Above this many commit statuses waiting to be answered, all are answered in one turn (see newGatewayImplementation). */
const COMMIT_STATUSES_ONE_PER_TURN_UP_TO = 16;

/** The registered service; `close()` closes its clients of other peers (call it when the peer stops). */
export interface GatewayServiceHandle {
  close(): void;
}

/**
 * Adds Fabric's `gateway.Gateway` service (Evaluate, Endorse, Submit, CommitStatus, ChaincodeEvents) to the
 * peer's gRPC server, so that @hyperledger/fabric-gateway clients work against this peer unchanged
 * (fabric internal/pkg/gateway). Failures are gRPC statuses with google.rpc.Status details carrying one
 * gateway.ErrorDetail per failed endorser or orderer, in `grpc-status-details-bin`. `overrides.order` (tests)
 * replaces the random order in which other orgs and orderers are tried.
 *
 * @example Wiring in node/peer.ts
 * ```ts
 * const tlsPair = { certPem: fs.readFileSync(me.tls.certPath), keyPem: fs.readFileSync(me.tls.keyPath) };
 * const gatewayService = registerGatewayService(server, {
 *   localEndorser: endorser, localMspId: org.mspId, localAddress: `${me.name}:${me.port}`,
 *   getChannel: (id) => (id === channel.bundle.channelId ? channel : undefined),
 *   getChaincodeDefinition: (id, name) => (id === channel.bundle.channelId ? channel.definitions(name) : undefined),
 *   newEndorser: newNetworkEndorserFactory(network, tlsPair),
 *   orderers: () => ordererClients, // newNetworkBroadcastClients(network, tlsPair), created once
 *   newSignaturePolicy: (_id, env) => newSignaturePolicy(env, channel.bundle.msps),
 * });
 * // on shutdown: gatewayService.close(); ordererClients.forEach((c) => c.close());
 * ```
 */
export function registerGatewayService(
  server: grpc.Server,
  deps: GatewayDeps,
  overrides: Partial<Pick<GatewayContext, 'order'>> = {},
): GatewayServiceHandle {
  const ctx = { ...newGatewayContext(deps), ...overrides };
  server.addService(gateway.GatewayService, newGatewayImplementation(ctx));
  return { close: () => ctx.registry.close() };
}

/** The context every method shares. Exposed for tests (which also set `order`). */
export function newGatewayContext(deps: GatewayDeps): GatewayContext {
  return {
    deps,
    options: { ...defaultGatewayOptions, ...deps.options },
    registry: new Registry(
      { endorser: deps.localEndorser, mspId: deps.localMspId, address: deps.localAddress },
      deps.newEndorser,
    ),
  };
}

/** The grpc-js handlers of the Gateway service over a context. */
export function newGatewayImplementation(ctx: GatewayContext): gateway.IGatewayServer {
  // Evaluate calls start a few per turn (TurnQueue): a client's burst of reads otherwise reached the
  // chaincode all at once and came back as one convoy, with the client, peer and chaincode server
  // taking turns (reads at c=50: 780-867 tx/s; 1, 3 or 6 per turn 790-968, the same within the
  // noise, the peer's CPU per read +25 % at 1 per turn and as before at 6). Endorse stays as it is:
  // writes at that concurrency are CPU-bound, and more flushes per write cost more than they gained.
  const evaluations = new TurnQueue(EVALUATIONS_PER_TURN);
  // A block wakes every CommitStatus call waiting on it at once. Fabric's goroutines each write their
  // answer as soon as they wake; written in one turn, all left in one flush, and a client waiting on
  // several (a burst of writes) took them in one read and made all its next proposals before sending
  // any: the next burst reached this peer about 10 ms late. Answered one per turn, the first client's
  // next proposal is sent, and endorsed, while the others are answered (c=10 writes 68.8-70.5 against
  // 66.0 a second). A block that wakes more than 16 comes from a saturated network, whose blocks are
  // cut by size: those answers go together, one flush instead of many (c=50: one per turn 217 writes
  // a second with blocks of 27, together 225 with full blocks).
  const commitAnswers = new TurnQueue(1, COMMIT_STATUSES_ONE_PER_TURN_UP_TO);
  return {
    evaluate: unary('Evaluate', grpc.status.UNKNOWN, (request: gateway.EvaluateRequest, call) =>
      evaluations.run(() => evaluate(ctx, request, call)),
    ),
    endorse: unary('Endorse', grpc.status.UNKNOWN, (request: gateway.EndorseRequest, call) =>
      endorse(ctx, request, call),
    ),
    submit: unary('Submit', grpc.status.UNKNOWN, (request: gateway.SubmitRequest, call) =>
      submit(ctx, request, call),
    ),
    commitStatus: unary(
      'CommitStatus',
      grpc.status.ABORTED,
      async (request: gateway.SignedCommitStatusRequest, call) => {
        const response = await commitStatus(ctx, request, call);
        return commitAnswers.run(() => Promise.resolve(response));
      },
    ),
    chaincodeEvents: (
      call: grpc.ServerWritableStream<gateway.SignedChaincodeEventsRequest, gateway.ChaincodeEventsResponse>,
    ) => {
      const callContext = newCallContext(call);
      chaincodeEvents(ctx, call.request, callContext, (response) =>
        write(call, response, callContext.signal),
      ).then(
        () => call.end(),
        (err: unknown) => {
          if (callContext.signal.aborted) return;
          logger.debug({ error: errorMessage(err) }, 'ChaincodeEvents failed');
          call.emit('error', toRpcError(err, grpc.status.ABORTED).toServiceError());
        },
      );
    },
  };
}

/** Adapts a promise-returning method to a grpc-js unary handler; failures become statuses with details. */
function unary<Req, Res>(
  method: string,
  unknownCode: grpc.status,
  fn: (request: Req, call: CallContext) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const callContext = newCallContext(call);
    fn(call.request, callContext).then(
      (response) => {
        callContext.finish();
        callback(null, response);
      },
      (err: unknown) => {
        callContext.finish();
        const rpcError = toRpcError(err, unknownCode);
        logger.debug({ method, code: rpcError.code, error: rpcError.message }, 'gateway call failed');
        callback(rpcError.toServiceError());
      },
    );
  };
}

/**
 * The client's deadline and a signal that aborts when the call is cancelled or times out; `finish()` once the
 * answer is given stops listening (grpc-js reports a cancel for calls whose client resets the stream after the
 * response, and aborting then would build an AbortError with its stack for nothing). The AbortController is made
 * when `signal` is first read: of the unary methods only CommitStatus waits on it (Endorse, Submit and Evaluate
 * read `aborted`), and a controller with its signal is 1-1.5 % of the gateway peer's busy time when made per call.
 */
function newCallContext(
  call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerWritableStream<unknown, unknown>,
): CallContext & { finish(): void } {
  let cancelled = false;
  let controller: AbortController | undefined;
  const cancel = (): void => {
    cancelled = true;
    controller?.abort();
  };
  call.on('cancelled', cancel);
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  return {
    deadline: Number.isFinite(deadlineMs) ? new Date(deadlineMs) : undefined,
    get aborted() {
      return cancelled;
    },
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        if (cancelled) controller.abort();
      }
      return controller.signal;
    },
    finish: () => call.off('cancelled', cancel),
  };
}

/** Writes one message, resolving when the stream can take more (or the client is gone). */
function write<T>(
  call: grpc.ServerWritableStream<unknown, T>,
  message: T,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    if (call.write(message)) return resolve();
    const done = (): void => {
      call.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
