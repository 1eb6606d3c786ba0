import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { peer } from '@hyperledger/fabric-protos';
import type { ChaincodeServerEndpoint } from './definition';

/**
 * A gRPC client of a chaincode-as-a-service server (Fabric's extcc: the peer dials the chaincode).
 * TLS trusts only the definition's root certificate; with `serverName` the certificate is checked
 * against that name (devnet's chaincode certificates carry `<cc>.<peer>`, localhost and 127.0.0.1).
 * Without `rootCertPath` the connection is plaintext, which only tests use.
 */
export function newChaincodeClient(server: ChaincodeServerEndpoint): peer.ChaincodeClient {
  const options: grpc.ChannelOptions = {
    'grpc.max_send_message_length': 100 * 1024 * 1024,
    'grpc.max_receive_message_length': 100 * 1024 * 1024,
  };
  let creds: grpc.ChannelCredentials;
  if (server.rootCertPath) {
    const root = readFile(server.rootCertPath, 'root certificate');
    const key = server.clientKeyPath ? readFile(server.clientKeyPath, 'client key') : null;
    const cert = server.clientCertPath ? readFile(server.clientCertPath, 'client certificate') : null;
    creds = grpc.credentials.createSsl(root, key, cert);
    if (server.serverName) {
      options['grpc.ssl_target_name_override'] = server.serverName;
      options['grpc.default_authority'] = server.serverName;
    }
  } else {
    creds = grpc.credentials.createInsecure();
  }
  return new peer.ChaincodeClient(server.address, creds, options);
}

/** Waits until the client's channel is connected, or rejects with the dial failure after `timeoutMs`. */
export function waitForConnection(client: grpc.Client, address: string, timeoutMs: number): Promise<void> {
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
