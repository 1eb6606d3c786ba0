import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Gateway } from '@hyperledger/fabric-gateway';
import type { NetworkDescriptor, OrganizationDescriptor } from '@govfabric/network-config';

/** A @hyperledger/fabric-gateway connection to one ministry's peer, and its gRPC client to close. */
export interface GatewayConnection {
  gateway: Gateway;
  client: grpc.Client;
  close(): void;
}

/** The organization with this MSP id, or a clear error. */
export function orgOf(net: NetworkDescriptor, mspId: string): OrganizationDescriptor {
  const org = net.organizations.find((o) => o.mspId === mspId);
  if (org === undefined) throw new Error(`no organization ${mspId} in the network`);
  return org;
}

/** An identity held in memory (e.g. enrolled from a CA): PEM certificate and PEM private key. */
export interface Credentials {
  certificate: string;
  privateKeyPem: string;
}

/** Connects the real fabric-gateway client to a ministry's peer as its User1, its Admin or given credentials. */
export function connectGateway(
  net: NetworkDescriptor,
  mspId: string,
  who: 'user' | 'admin' | Credentials = 'user',
): GatewayConnection {
  const org = orgOf(net, mspId);
  const peer = org.peers[0];
  const credentials =
    typeof who === 'object'
      ? who
      : {
          certificate: fs.readFileSync((who === 'user' ? org.user : org.admin).certPath, 'utf8'),
          privateKeyPem: fs.readFileSync((who === 'user' ? org.user : org.admin).keyPath, 'utf8'),
        };
  const client = new grpc.Client(
    `${peer.host}:${peer.port}`,
    grpc.credentials.createSsl(fs.readFileSync(org.tlsCaCertPath)),
    {
      'grpc.ssl_target_name_override': peer.name,
    },
  );
  const gateway = connect({
    client,
    identity: { mspId, credentials: Buffer.from(credentials.certificate) },
    signer: signers.newPrivateKeySigner(crypto.createPrivateKey(credentials.privateKeyPem)),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  return {
    gateway,
    client,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}
