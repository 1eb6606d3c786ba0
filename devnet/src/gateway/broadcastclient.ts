import * as fs from 'node:fs';
import { common, orderer } from '@hyperledger/fabric-protos';
import type { NetworkDescriptor } from '@govfabric/network-config';
import type { BroadcastClient } from './deps';
import type { LeanMethod } from '../common/grpc';
import { BroadcastStreams } from './broadcaststreams';
import { leanTlsChannel, type TlsTarget } from './tls';

/** An ordering node: where to dial, how to trust it, and its org for ErrorDetail. */
export interface BroadcastClientOptions extends TlsTarget {
  mspId: string;
  /** `host:port` reported in ErrorDetail.address. Default: dialAddress. */
  address?: string;
}

/** Fabric's orderer/ab.proto AtomicBroadcast.Broadcast. */
const BROADCAST: LeanMethod<common.Envelope, orderer.BroadcastResponse> = {
  path: '/orderer.AtomicBroadcast/Broadcast',
  serialize: (envelope) => envelope.serializeBinary(),
  deserialize: (bytes) => orderer.BroadcastResponse.deserializeBinary(bytes),
};

/**
 * A client of one orderer's `orderer.AtomicBroadcast/Broadcast`: each broadcast sends the envelope on a stream
 * that carries nothing else meanwhile and resolves with its BroadcastResponse; streams are kept for later
 * envelopes (see {@link BroadcastStreams}). On devnet's lean gRPC client (common/grpc: grpc-js's errors, about
 * half its client CPU per call).
 */
export function newBroadcastClient(options: BroadcastClientOptions): BroadcastClient & { close(): void } {
  const channel = leanTlsChannel(options);
  const address = options.address ?? options.dialAddress;
  const streams = new BroadcastStreams(channel, BROADCAST, address);
  return {
    address,
    mspId: options.mspId,
    broadcast: (envelope, deadline) => streams.broadcast(envelope, deadline),
    close: () => (streams.close(), channel.close()),
  };
}

/**
 * Broadcast clients for the orderer of network.json (devnet has one ordering node), trusting the orderer org's
 * TLS CA and naming it by its node name. `clientTls` is this peer's TLS key pair, for mutual TLS.
 */
export function newNetworkBroadcastClients(
  network: NetworkDescriptor,
  clientTls?: { certPem: Buffer; keyPem: Buffer },
): (BroadcastClient & { close(): void })[] {
  const o = network.orderer;
  return [
    newBroadcastClient({
      mspId: o.mspId,
      address: `${o.name}:${o.port}`,
      dialAddress: `${o.host}:${o.port}`,
      serverName: o.name,
      tlsRootCertPem: fs.readFileSync(o.tlsCaCertPath),
      clientCertPem: clientTls?.certPem,
      clientKeyPem: clientTls?.keyPem,
    }),
  ];
}

/**
 * Sends one envelope to the network's orderer on a connection of its own (`peer ... --orderer`, as
 * devnet's admin scripts do) and throws, naming `what`, unless the orderer answers SUCCESS.
 */
export async function broadcastOnce(
  network: NetworkDescriptor,
  envelope: common.Envelope,
  what: string,
): Promise<void> {
  const [client] = newNetworkBroadcastClients(network);
  try {
    const res = await client.broadcast(envelope, new Date(Date.now() + 30_000));
    if (res.getStatus() !== common.Status.SUCCESS)
      throw new Error(`the orderer refused the ${what}: ${res.getStatus()} ${res.getInfo()}`);
  } finally {
    client.close();
  }
}
