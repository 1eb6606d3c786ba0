import * as grpc from '@grpc/grpc-js';
import { clientOptions } from '../options';

const identity = (b: Buffer): Buffer => b;

/** A unary method whose requests and responses are raw bytes, for test servers. */
export function bytesMethod(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

/**
 * One unary call of `path` on a fresh connection to 127.0.0.1:`port` (TLS name `host`, devnet's client
 * options); the connection is closed when the answer comes.
 */
export function unaryBytes(
  port: number,
  credentials: grpc.ChannelCredentials,
  host: string | undefined,
  path: string,
  request: Buffer,
): Promise<Buffer> {
  const client = new grpc.Client(`127.0.0.1:${port}`, credentials, clientOptions(host));
  return new Promise<Buffer>((resolve, reject) => {
    client.makeUnaryRequest(
      path,
      identity,
      identity,
      request,
      { deadline: Date.now() + 10_000 },
      (err, res) => {
        client.close();
        if (err) reject(err);
        else resolve(res as Buffer);
      },
    );
  });
}
