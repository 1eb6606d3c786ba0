import * as grpc from '@grpc/grpc-js';
import { ledger } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';

const logger = getLogger('privdata.service');

/**
 * devnet's peer-to-peer private data transport, standing in for Fabric's gossip private data messages
 * (PrivateDataMessage push at endorsement, RemotePvtDataRequest pull at commit). It is internal to devnet:
 * Fabric clients never call it. Every request is signed by the sending peer's identity; the receiver
 * checks the signature and that the sender's org is a member of each collection it gets data for.
 */
export const PRIVATE_DATA_SERVICE = '/devnet.PrivateData/';

/** A signed devnet-internal request: JSON body, the peer's serialized identity and its signature over body. */
export interface SignedMessage {
  body: Uint8Array;
  identity: Uint8Array;
  signature: Uint8Array;
}

/** Push: a transaction's private write set for the receiver's collections, right after endorsement. */
export interface PushBody {
  channel: string;
  txId: string;
  height: number;
  /** base64 TxPvtReadWriteSet. */
  pvt: string;
}

/** Pull: the private write sets of a transaction's collections that the requester is a member of. */
export interface PullBody {
  channel: string;
  txId: string;
  wanted: { namespace: string; collection: string }[];
}

const encodeSigned = (m: SignedMessage): Buffer =>
  Buffer.from(
    JSON.stringify({
      body: Buffer.from(m.body).toString('base64'),
      identity: Buffer.from(m.identity).toString('base64'),
      signature: Buffer.from(m.signature).toString('base64'),
    }),
  );

function decodeSigned(b: Buffer): SignedMessage {
  const j = JSON.parse(b.toString('utf8')) as { body: string; identity: string; signature: string };
  return {
    body: Buffer.from(j.body, 'base64'),
    identity: Buffer.from(j.identity, 'base64'),
    signature: Buffer.from(j.signature, 'base64'),
  };
}

const raw = (b: Buffer): Buffer => b;

/** The receiving side: handlers get the verified sender's MSP id and the parsed body. */
export interface PrivateDataHandlers {
  /** Verifies the signature and returns the sender's MSP id; throws if it does not verify. */
  authenticate(m: SignedMessage): string;
  push(senderMspId: string, body: PushBody): Promise<void>;
  /** Returns the TxPvtReadWriteSets (already filtered for the requester). */
  pull(senderMspId: string, body: PullBody): Promise<ledger.rwset.TxPvtReadWriteSet[]>;
}

/** Registers the devnet.PrivateData service on the peer's gRPC server. */
export function registerPrivateDataService(server: grpc.Server, h: PrivateDataHandlers): void {
  const unary =
    (fn: (sender: string, body: unknown) => Promise<Buffer>): grpc.handleUnaryCall<Buffer, Buffer> =>
    (call, cb) => {
      void (async () => {
        try {
          const m = decodeSigned(call.request);
          const sender = h.authenticate(m);
          cb(null, await fn(sender, JSON.parse(Buffer.from(m.body).toString('utf8'))));
        } catch (e) {
          logger.warn({ err: (e as Error).message }, 'private data request refused');
          cb({ code: grpc.status.PERMISSION_DENIED, details: (e as Error).message });
        }
      })();
    };
  server.addService(
    {
      Push: {
        path: `${PRIVATE_DATA_SERVICE}Push`,
        requestStream: false,
        responseStream: false,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
      },
      Pull: {
        path: `${PRIVATE_DATA_SERVICE}Pull`,
        requestStream: false,
        responseStream: false,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
      },
    },
    {
      Push: unary(async (sender, body) => {
        await h.push(sender, body as PushBody);
        return Buffer.alloc(0);
      }),
      Pull: unary(async (sender, body) => {
        const sets = await h.pull(sender, body as PullBody);
        return Buffer.from(
          JSON.stringify(sets.map((s) => Buffer.from(s.serializeBinary()).toString('base64'))),
        );
      }),
    },
  );
}

/** A client of another peer's devnet.PrivateData service. */
export class PrivateDataClient {
  private readonly client: grpc.Client;

  constructor(
    readonly address: string,
    credentials: grpc.ChannelCredentials,
    options: grpc.ChannelOptions,
    private readonly sign: (body: Uint8Array) => SignedMessage,
  ) {
    this.client = new grpc.Client(address, credentials, options);
  }

  /** Pushes a private write set; resolves once the peer stored it. */
  push(body: PushBody, timeoutMs: number): Promise<void> {
    return this.call('Push', body, timeoutMs).then(() => undefined);
  }

  /** Pulls private write sets of a transaction. */
  async pull(body: PullBody, timeoutMs: number): Promise<ledger.rwset.TxPvtReadWriteSet[]> {
    const res = await this.call('Pull', body, timeoutMs);
    return (JSON.parse(res.toString('utf8')) as string[]).map((s) =>
      ledger.rwset.TxPvtReadWriteSet.deserializeBinary(Buffer.from(s, 'base64')),
    );
  }

  /** Closes the connection. */
  close(): void {
    this.client.close();
  }

  private call(method: 'Push' | 'Pull', body: unknown, timeoutMs: number): Promise<Buffer> {
    const req = encodeSigned(this.sign(Buffer.from(JSON.stringify(body))));
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        `${PRIVATE_DATA_SERVICE}${method}`,
        raw,
        raw,
        req,
        { deadline: Date.now() + timeoutMs },
        (err, res) =>
          err || !res
            ? reject(err ?? new Error(`${method} to ${this.address}: empty response`))
            : resolve(res),
      );
    });
  }
}
