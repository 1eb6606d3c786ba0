import * as fs from 'node:fs';
import { LeanChannel, LeanDuplexStream, LeanMethod, MAX_MESSAGE_SIZE } from '../common/grpc';
import type { ChaincodeServerEndpoint } from './definition';
import type { ChaincodeStream } from './handler';
import { decodeChaincodeMessage, encodeChaincodeMessage, type ChaincodeMessage } from './message';

/** Fabric's chaincode_shim.proto Chaincode.Connect, the stream a chaincode server serves. */
const CONNECT: LeanMethod<ChaincodeMessage, ChaincodeMessage> = {
  path: '/protos.Chaincode/Connect',
  serialize: encodeChaincodeMessage,
  deserialize: decodeChaincodeMessage,
};

/** The peer's client of one chaincode server: its connection and the Connect stream on it. */
export interface ChaincodeClient {
  /** Opens the Connect stream. */
  connect(): ChaincodeStream;
  /** Calls back once connected, or with the dial failure at `deadline` (grpc-js's Client.waitForReady). */
  waitForReady(deadline: number, callback: (err?: Error) => void): void;
  /** Closes the connection. */
  close(): void;
}

/**
 * A gRPC client of a chaincode-as-a-service server (Fabric's extcc: the peer dials the chaincode), on
 * devnet's lean gRPC client (common/grpc LeanChannel: gRPC over node:http2 without grpc-js's call
 * layers; about half grpc-js's client CPU per stream message). TLS trusts only the definition's root
 * certificate, with the client certificate for mutual TLS when the definition has one; with
 * `serverName` the certificate is checked against that name, which is also the calls' :authority
 * (devnet's chaincode certificates carry `<cc>.<peer>`, localhost and 127.0.0.1). Without
 * `rootCertPath` the connection is plaintext, which only tests use. Fabric's 100 MiB message limits;
 * no keepalive pings (Fabric's chaincode.keepalive default 0, as the grpc-js client had).
 */
export function newChaincodeClient(server: ChaincodeServerEndpoint): ChaincodeClient {
  let channel: LeanChannel;
  const sizes = { maxReceiveMessageLength: MAX_MESSAGE_SIZE, maxSendMessageLength: MAX_MESSAGE_SIZE };
  if (server.rootCertPath) {
    const rootCert = readFile(server.rootCertPath, 'root certificate');
    const privateKey = server.clientKeyPath ? readFile(server.clientKeyPath, 'client key') : null;
    const certChain = server.clientCertPath ? readFile(server.clientCertPath, 'client certificate') : null;
    channel = new LeanChannel(server.address, {
      ...sizes,
      tls: { rootCert, privateKey, certChain, serverNameOverride: server.serverName || undefined },
    });
  } else {
    channel = new LeanChannel(server.address, sizes);
  }
  return {
    connect: () => new LeanDuplexStream(channel, CONNECT),
    waitForReady: (deadline, callback) => channel.waitForReady(deadline, callback),
    close: () => channel.close(),
  };
}

/** Waits until the client's channel is connected, or rejects with the dial failure after `timeoutMs`. */
export function waitForConnection(
  client: ChaincodeClient,
  address: string,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    client.waitForReady(Date.now() + timeoutMs, (err) =>
      err ? reject(new Error(`error creating grpc connection to ${address}: ${err.message}`)) : resolve(),
    );
  });
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read the chaincode server's ${what} ${file}: ${(err as Error).message}`);
  }
}
