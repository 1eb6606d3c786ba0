import { peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { ChaincodeClient, newChaincodeClient, waitForConnection } from './connection';
import { ChaincodeDefinition, DefinitionStore } from './definition';
import { Handler } from './handler';
import type { ChaincodeMessage } from './message';
import { DEFAULT_TOTAL_QUERY_LIMIT } from './queryresponse';
import type { ChaincodeRuntimeParams } from './runtimeparams';
import type { ChaincodeSimulator, HistoryQueryExecutor, TransactionServices } from './transactioncontext';

const logger = getLogger('chaincode.support');
const T = peer.ChaincodeMessage.Type;

/** Fabric's key recording which version was initialized (core/chaincode InitializedKeyName). */
export const INITIALIZED_KEY = '\u0000\u{10ffff}initialized';

/** Options of {@link ChaincodeSupport}; defaults follow Fabric's core.yaml. */
export interface ChaincodeSupportOptions {
  /** devnet home: definitions are read from `<home>/chaincode/<name>/definition.json`. */
  home: string;
  /** This peer's name, e.g. `peer0.immigration.egov.local`: selects `servers[peerName]`. */
  peerName: string;
  /** chaincode.executetimeout, default 30 000 ms. */
  executeTimeoutMs?: number;
  /** How long to dial a chaincode server before giving up on this proposal, default 10 000 ms (ccaas dial_timeout). */
  connectTimeoutMs?: number;
  /** How long the chaincode may take to REGISTER once connected, default 10 000 ms. */
  registerTimeoutMs?: number;
  /** ledger.state.totalQueryLimit, default 100 000. */
  totalQueryLimit?: number;
  /** chaincode.runtimeParams (Fabric 3.1): batched writes and reads offered in READY; none by default. */
  runtimeParams?: ChaincodeRuntimeParams;
  /** The peer's history index; without it GET_HISTORY_FOR_KEY fails as on a Fabric peer without history. */
  history?: HistoryQueryExecutor;
  /** Replaces the definition.json reader (tests). */
  definitions?: { get(name: string): ChaincodeDefinition | undefined };
}

/** One execution request (DESIGN.md contract). */
export interface ExecuteRequest {
  channelId: string;
  txId: string;
  signedProposal: peer.SignedProposal;
  chaincodeName: string;
  input: peer.ChaincodeInput;
  simulator: ChaincodeSimulator;
}

/** What the chaincode answered: its Response and the event it set, if any. */
export interface ExecuteResult {
  response: peer.Response;
  event?: peer.ChaincodeEvent;
}

interface Connection {
  endpoint: string;
  client?: ChaincodeClient;
  handler?: Handler;
  launching?: Promise<Handler>;
}

/**
 * Runs chaincode for the endorser (Fabric's core/chaincode ChaincodeSupport with the extcc runtime):
 * looks up the chaincode's definition, connects to this peer's chaincode-as-a-service server (once,
 * reconnecting after the stream drops or the definition changes), and executes INIT/TRANSACTION
 * messages over the shim protocol, serving the chaincode's state requests from the simulator.
 */
export class ChaincodeSupport {
  private readonly definitions: { get(name: string): ChaincodeDefinition | undefined };
  private readonly connections = new Map<string, Connection>();
  private readonly executeTimeoutMs: number;

  constructor(private readonly opts: ChaincodeSupportOptions) {
    this.definitions = opts.definitions ?? new DefinitionStore(opts.home, opts.peerName);
    this.executeTimeoutMs = opts.executeTimeoutMs ?? 30_000;
  }

  /** The chaincode's current definition for this peer, or undefined if it is not defined. */
  definition(name: string): ChaincodeDefinition | undefined {
    return this.definitions.get(name);
  }

  /**
   * Executes the proposal's input on the chaincode. Resolves with the chaincode's Response (any
   * status: the endorser decides) and event (chaincode_id and tx_id filled in, as Fabric does).
   * Rejects with Fabric's texts when the invocation is invalid, the chaincode cannot be reached,
   * times out, or answers ERROR ("transaction returned with failure: ...").
   */
  async execute(req: ExecuteRequest): Promise<ExecuteResult> {
    const def = this.definition(req.chaincodeName);
    let msg: ChaincodeMessage;
    try {
      const type = await this.checkInvocation(req, def);
      const handler = await this.launch(def as ChaincodeDefinition);
      msg = await handler
        .execute(
          {
            type,
            channelId: req.channelId,
            txId: req.txId,
            namespace: req.chaincodeName,
            input: req.input,
            signedProposal: req.signedProposal,
            simulator: req.simulator,
            services: this.services(req),
          },
          this.executeTimeoutMs,
        )
        .catch((err: Error) => {
          throw new Error(`error sending: ${err.message}`);
        });
    } catch (err) {
      throw new Error(`failed to execute transaction ${req.txId}: ${(err as Error).message}`);
    }
    return this.result(req, msg);
  }

  /** What a transaction's shim requests may use beyond its simulator: history, chaincode-to-chaincode calls. */
  private services(req: ExecuteRequest): TransactionServices {
    return { history: this.opts.history, invoke: (name, input) => this.invokeNested(req, name, input) };
  }

  /**
   * A chaincode-to-chaincode call on the same channel (Fabric's Invoker.Invoke from HandleInvokeChaincode):
   * the called chaincode runs as a TRANSACTION with the caller's tx id, proposal and simulator; resolves with
   * its COMPLETED or ERROR message, which goes back to the caller's shim as it is.
   */
  private async invokeNested(
    req: ExecuteRequest,
    name: string,
    input: peer.ChaincodeInput,
  ): Promise<ChaincodeMessage> {
    const def = this.definition(name);
    if (!def)
      throw new Error(
        `execute failed: [channel ${req.channelId}] failed to get chaincode container info for ${name}: could not find chaincode with name '${name}'`,
      );
    const nested: ExecuteRequest = { ...req, chaincodeName: name, input };
    const handler = await this.launch(def);
    return handler.execute(
      {
        type: T.TRANSACTION,
        channelId: req.channelId,
        txId: req.txId,
        namespace: name,
        input,
        signedProposal: req.signedProposal,
        simulator: req.simulator,
        services: this.services(nested),
      },
      this.executeTimeoutMs,
    );
  }

  /** Ends every chaincode stream and client. */
  async close(): Promise<void> {
    for (const c of this.connections.values()) {
      c.handler?.close();
      c.client?.close();
    }
    this.connections.clear();
  }

  /** Fabric's CheckInvocation: definition present, installed, and Init rules (EnforceInit). */
  private async checkInvocation(
    req: ExecuteRequest,
    def: ChaincodeDefinition | undefined,
  ): Promise<typeof T.INIT | typeof T.TRANSACTION> {
    const invalid = (reason: string): Error => new Error(`invalid invocation: ${reason}`);
    if (!def) {
      throw invalid(
        `[channel ${req.channelId}] failed to get chaincode container info for ${req.chaincodeName}: could not find chaincode with name '${req.chaincodeName}'`,
      );
    }
    if (!def.server || def.packageId === '') {
      throw invalid(`chaincode definition for '${def.name}' exists, but chaincode is not installed`);
    }
    let needsInit = false;
    if (def.initRequired) {
      const v = await req.simulator.getState(def.name, INITIALIZED_KEY);
      needsInit = v === undefined || Buffer.from(v).toString() !== def.version;
    }
    if (req.input.getIsInit()) {
      if (!def.initRequired)
        throw invalid(`chaincode '${def.name}' does not require initialization but called as init`);
      if (!needsInit) throw invalid(`chaincode '${def.name}' is already initialized but called as init`);
      req.simulator.setState(def.name, INITIALIZED_KEY, Buffer.from(def.version));
      return T.INIT;
    }
    if (needsInit) {
      throw invalid(
        `chaincode '${def.name}' has not been initialized for this version, must call as init first`,
      );
    }
    return T.TRANSACTION;
  }

  private result(req: ExecuteRequest, msg: ChaincodeMessage): ExecuteResult {
    if (msg.type === T.COMPLETED) {
      let response: peer.Response;
      try {
        response = peer.Response.deserializeBinary(msg.payload);
      } catch (err) {
        throw new Error(
          `failed to unmarshal response for transaction ${req.txId}: ${(err as Error).message}`,
        );
      }
      if (msg.chaincodeEvent === undefined) return { response };
      let event: peer.ChaincodeEvent;
      try {
        event = peer.ChaincodeEvent.deserializeBinary(msg.chaincodeEvent);
      } catch (err) {
        throw new Error(
          `failed to unmarshal chaincode event for transaction ${req.txId}: ${(err as Error).message}`,
        );
      }
      event.setChaincodeId(req.chaincodeName);
      event.setTxId(req.txId);
      return { response, event };
    }
    if (msg.type === T.ERROR) {
      throw new Error(`transaction returned with failure: ${Buffer.from(msg.payload).toString()}`);
    }
    throw new Error(`unexpected response type ${msg.type} for transaction ${req.txId}`);
  }

  /** A ready handler for the chaincode's current server: reused, or (re)connected. */
  private async launch(def: ChaincodeDefinition): Promise<Handler> {
    const server = def.server as NonNullable<ChaincodeDefinition['server']>;
    const endpoint = JSON.stringify([server.address, server.rootCertPath, server.serverName, def.packageId]);
    let conn = this.connections.get(def.name);
    if (conn && conn.endpoint === endpoint) {
      if (conn.handler?.isReady()) return conn.handler;
      if (conn.launching) return conn.launching;
    }
    if (conn) {
      conn.handler?.close();
      conn.client?.close();
    }
    conn = { endpoint };
    this.connections.set(def.name, conn);
    const launching = this.connect(def, conn);
    conn.launching = launching;
    try {
      return await launching;
    } finally {
      conn.launching = undefined;
    }
  }

  private async connect(def: ChaincodeDefinition, conn: Connection): Promise<Handler> {
    const server = def.server as NonNullable<ChaincodeDefinition['server']>;
    try {
      const client = newChaincodeClient(server);
      conn.client = client;
      await waitForConnection(client, server.address, this.opts.connectTimeoutMs ?? 10_000);
      const handler = new Handler(client.connect(), {
        address: server.address,
        expectedPackageId: def.packageId,
        totalQueryLimit: this.opts.totalQueryLimit ?? DEFAULT_TOTAL_QUERY_LIMIT,
        runtimeParams: this.opts.runtimeParams,
      });
      conn.handler = handler;
      await withTimeout(
        handler.ready,
        this.opts.registerTimeoutMs ?? 10_000,
        `chaincode at ${server.address} did not register`,
      );
      logger.info(
        { chaincode: def.name, packageId: def.packageId, address: server.address },
        'connected to chaincode server',
      );
      return handler;
    } catch (err) {
      conn.handler?.close();
      conn.client?.close();
      this.connections.delete(def.name);
      throw new Error(`could not launch chaincode ${def.packageId}: ${(err as Error).message}`);
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
