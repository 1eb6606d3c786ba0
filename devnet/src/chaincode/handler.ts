import { peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { ERROR_EXECUTION_TIMEOUT, ERROR_STREAM_TERMINATED } from './errors';
import { encodeSignedProposal, type ChaincodeMessage } from './message';
import { readyPayload, type ChaincodeRuntimeParams } from './runtimeparams';
import { SHIM_REQUESTS, ShimRequestLimits, messageTypeName } from './shimrequests';
import {
  ChaincodeSimulator,
  TransactionContext,
  TransactionServices,
  contextKey,
} from './transactioncontext';

const logger = getLogger('chaincode.handler');
const T = peer.ChaincodeMessage.Type;
const NO_BYTES: Uint8Array = new Uint8Array(0);
type MessageType = peer.ChaincodeMessage.TypeMap[keyof peer.ChaincodeMessage.TypeMap];

/** The peer's side of a Connect stream (a LeanDuplexStream with message.ts's codecs, connection.ts). */
export interface ChaincodeStream {
  write(msg: ChaincodeMessage): boolean;
  end(): void;
  cancel?(): void;
  on(event: 'data', listener: (msg: ChaincodeMessage) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
}

/** One INIT or TRANSACTION to run on the chaincode. */
export interface ExecuteParams {
  type: typeof T.INIT | typeof T.TRANSACTION;
  channelId: string;
  txId: string;
  /** The chaincode's name = its state namespace. */
  namespace: string;
  input: peer.ChaincodeInput;
  signedProposal?: peer.SignedProposal;
  simulator: ChaincodeSimulator;
  /** History queries and chaincode-to-chaincode calls for this transaction. */
  services?: TransactionServices;
}

/** Options of a {@link Handler}. */
export interface HandlerOptions extends ShimRequestLimits {
  /** The package id the chaincode must register with; a different one is refused. */
  expectedPackageId?: string;
  /** For logs: where the stream goes. */
  address: string;
  /** What READY offers the shim (Fabric 3.1's chaincode.runtimeParams); none, as Fabric 2.5, by default. */
  runtimeParams?: ChaincodeRuntimeParams;
}

type HandlerState = 'created' | 'established' | 'ready' | 'closed';

/**
 * The peer's handler of one chaincode stream (Fabric's core/chaincode/handler.go). The shim speaks
 * first: REGISTER (ChaincodeID.name = package id) → REGISTERED, READY. Then the peer sends INIT or
 * TRANSACTION messages (many in flight, keyed by channel id + tx id) and serves the shim's state
 * requests for each until it answers COMPLETED or ERROR. The peer sends no KEEPALIVE (Fabric's
 * default chaincode.keepalive is 0, and the Node shim exits on message types it does not expect).
 */
export class Handler {
  /** Resolves once the chaincode is registered and READY was sent; rejects if that fails. */
  readonly ready: Promise<void>;
  private state: HandlerState = 'created';
  private readonly contexts = new Map<string, TransactionContext>();
  private readonly doneListeners = new Set<(err: Error) => void>();
  private resolveReady!: () => void;
  private rejectReady!: (err: Error) => void;
  private chaincodeId = '';

  constructor(
    private readonly stream: ChaincodeStream,
    private readonly opts: HandlerOptions,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => undefined); // observed by callers; avoid unhandled rejections
    stream.on('data', (msg) => this.onMessage(msg));
    stream.on('error', (err) =>
      this.terminate(new Error(`receive from chaincode support stream failed: ${err.message}`)),
    );
    stream.on('end', () => this.terminate(new Error('received EOF, ending chaincode support stream')));
    stream.on('close', () => this.terminate(new Error('chaincode support stream closed')));
  }

  /** True while the stream is up and the chaincode is ready for transactions. */
  isReady(): boolean {
    return this.state === 'ready';
  }

  /** The package id the chaincode registered with ('' before REGISTER). */
  registeredId(): string {
    return this.chaincodeId;
  }

  /**
   * Sends INIT/TRANSACTION and resolves with the chaincode's COMPLETED or ERROR message. Rejects with
   * Fabric's texts on timeout ("timeout expired while executing transaction") or when the stream
   * ends ("chaincode stream terminated"). Open query iterators are closed when it settles.
   */
  async execute(params: ExecuteParams, timeoutMs: number): Promise<ChaincodeMessage> {
    if (this.state !== 'ready') {
      throw new Error(ERROR_STREAM_TERMINATED);
    }
    const key = contextKey(params.channelId, params.txId);
    if (this.contexts.has(key)) {
      throw new Error(`txid: ${params.txId}(${params.channelId}) exists`);
    }
    let notify!: (msg: ChaincodeMessage) => void;
    const answer = new Promise<ChaincodeMessage>((resolve) => (notify = resolve));
    const ctx = new TransactionContext(
      params.channelId,
      params.txId,
      params.namespace,
      params.simulator,
      params.type === T.INIT,
      notify,
      params.services,
    );
    this.contexts.set(key, ctx);
    let timer: NodeJS.Timeout | undefined;
    let onDone: ((err: Error) => void) | undefined;
    try {
      this.send(this.transactionMessage(params));
      return await Promise.race([
        answer,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(ERROR_EXECUTION_TIMEOUT)), timeoutMs);
        }),
        new Promise<never>((_, reject) => {
          onDone = () => reject(new Error(ERROR_STREAM_TERMINATED));
          this.doneListeners.add(onDone);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (onDone) this.doneListeners.delete(onDone);
      this.contexts.delete(key);
      await ctx.closeQueries();
    }
  }

  /** Ends the stream (the chaincode server sees the peer leave). */
  close(): void {
    if (this.state !== 'closed') {
      try {
        this.stream.end();
      } catch {
        // already ended
      }
      this.stream.cancel?.();
      this.terminate(new Error('chaincode handler closed'));
    }
  }

  private transactionMessage(p: ExecuteParams): ChaincodeMessage {
    const sp = p.signedProposal;
    return {
      type: p.type,
      payload: p.input.serializeBinary(),
      txid: p.txId,
      channelId: p.channelId,
      proposal: sp && encodeSignedProposal(sp.getProposalBytes_asU8(), sp.getSignature_asU8()),
    };
  }

  private onMessage(msg: ChaincodeMessage): void {
    const type = msg.type;
    if (type === T.KEEPALIVE) {
      return;
    }
    if (this.state === 'created') {
      this.handleCreated(msg);
    } else if (this.state === 'ready') {
      this.handleReady(msg);
    }
  }

  private handleCreated(msg: ChaincodeMessage): void {
    if (msg.type !== T.REGISTER) {
      this.fail(
        new Error(
          `[${msg.txid}] Fabric side handler cannot handle message (${messageTypeName(msg.type)}) while in created state`,
        ),
      );
      return;
    }
    const id = peer.ChaincodeID.deserializeBinary(msg.payload).getName();
    if (id === '') {
      this.fail(new Error('error in handling register chaincode, chaincodeID name is empty'));
      return;
    }
    if (this.opts.expectedPackageId && id !== this.opts.expectedPackageId) {
      this.fail(
        new Error(
          `chaincode server at ${this.opts.address} registered as '${id}' but this peer's definition names package '${this.opts.expectedPackageId}'`,
        ),
      );
      return;
    }
    this.chaincodeId = id;
    this.send(this.bare(T.REGISTERED));
    this.state = 'established';
    // Fabric 2.5 sends READY with an empty payload; Fabric 3.1 adds ChaincodeAdditionalParams.
    this.send({ ...this.bare(T.READY), payload: readyPayload(this.opts.runtimeParams) });
    this.state = 'ready';
    logger.info({ chaincodeId: id, address: this.opts.address }, 'chaincode registered');
    this.resolveReady();
  }

  private handleReady(msg: ChaincodeMessage): void {
    const type = msg.type;
    if (type === T.COMPLETED || type === T.ERROR) {
      this.contexts.get(contextKey(msg.channelId, msg.txid))?.notify(msg);
      return;
    }
    const handle = SHIM_REQUESTS.get(type);
    if (!handle) {
      this.fail(
        new Error(
          `[${msg.txid}] Fabric side handler cannot handle message (${messageTypeName(type)}) while in ready state`,
        ),
      );
      return;
    }
    const ctx = this.contexts.get(contextKey(msg.channelId, msg.txid));
    if (!ctx) {
      this.sendError(msg, 'no ledger context');
      return;
    }
    ctx.queue = ctx.queue.then(async () => {
      try {
        const payload = await handle(msg.payload, ctx, this.opts);
        this.send(this.reply(T.RESPONSE, msg, payload));
      } catch (err) {
        this.sendError(msg, (err as Error).message);
      }
    });
  }

  private sendError(req: ChaincodeMessage, reason: string): void {
    const text = `${messageTypeName(req.type)} failed: transaction ID: ${req.txid}: ${reason}`;
    this.send(this.reply(T.ERROR, req, Buffer.from(text)));
  }

  private reply(type: MessageType, req: ChaincodeMessage, payload?: Uint8Array): ChaincodeMessage {
    return { type, payload: payload ?? NO_BYTES, txid: req.txid, channelId: req.channelId };
  }

  private bare(type: MessageType): ChaincodeMessage {
    return { type, payload: NO_BYTES, txid: '', channelId: '' };
  }

  private send(msg: ChaincodeMessage): void {
    if (this.state === 'closed') {
      return;
    }
    try {
      this.stream.write(msg);
    } catch (err) {
      this.terminate(new Error(`error sending ${messageTypeName(msg.type)}: ${(err as Error).message}`));
    }
  }

  /** A protocol violation: log, end the stream (Fabric ends it on a handling error). */
  private fail(err: Error): void {
    logger.error({ address: this.opts.address, err: err.message }, 'ending chaincode stream');
    this.terminate(err);
    try {
      this.stream.end();
    } catch {
      // already ended
    }
    this.stream.cancel?.();
  }

  private terminate(err: Error): void {
    if (this.state === 'closed') {
      return;
    }
    const wasReady = this.state === 'ready';
    this.state = 'closed';
    this.rejectReady(err);
    for (const l of [...this.doneListeners]) l(err);
    if (wasReady) {
      logger.warn(
        { chaincodeId: this.chaincodeId, address: this.opts.address, reason: err.message },
        'chaincode stream ended',
      );
    }
  }
}
