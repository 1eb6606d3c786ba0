import * as fs from 'node:fs';
import * as path from 'node:path';
import { peer } from '@hyperledger/fabric-protos';
import type { NetworkDescriptor } from '@govfabric/network-config';
// Not the package index: it would load the crypto generators, YAML and zod into every peer.
import { externalEndpointOf } from '@govfabric/network-config/dist/types';
import type { EndorserFactory, EndorserTarget, ProcessProposalOptions, RemoteEndorser } from './deps';
import { LeanMethod, leanUnaryCall } from '../common/grpc';
import { leanTlsChannel, type TlsTarget } from './tls';

/** A remote endorser: where to dial and how to trust it. */
export interface RemoteEndorserOptions extends TlsTarget {
  /** `host:port` reported in ErrorDetail.address (the anchor peer endpoint). Default: dialAddress. */
  address?: string;
}

/** Fabric's peer/proposal.proto Endorser.ProcessProposal. */
const PROCESS_PROPOSAL: LeanMethod<peer.SignedProposal, peer.ProposalResponse> = {
  path: '/protos.Endorser/ProcessProposal',
  serialize: (proposal) => proposal.serializeBinary(),
  deserialize: (bytes) => peer.ProposalResponse.deserializeBinary(bytes),
};

/**
 * A client of another peer's `protos.Endorser/ProcessProposal` over TLS, on devnet's lean gRPC client
 * (common/grpc: grpc-js's errors, about half its client CPU per call).
 */
export function newRemoteEndorser(options: RemoteEndorserOptions): RemoteEndorser {
  const channel = leanTlsChannel(options);
  return {
    address: options.address ?? options.dialAddress,
    processProposal(
      signedProposal: peer.SignedProposal,
      callOptions?: ProcessProposalOptions,
    ): Promise<peer.ProposalResponse> {
      return new Promise((resolve, reject) => {
        leanUnaryCall(
          channel,
          PROCESS_PROPOSAL,
          signedProposal,
          { deadline: callOptions?.deadline ?? Infinity },
          (err, response) => {
            if (err) reject(err);
            else if (!response)
              reject(new Error(`endorser ${options.dialAddress} returned no proposal response`));
            else resolve(response);
          },
        );
      });
    },
    close: () => channel.close(),
  };
}

/** network.json as it is on disk now (its `home` names it); the descriptor itself when it has no file. */
function reread(network: NetworkDescriptor): NetworkDescriptor {
  try {
    return JSON.parse(fs.readFileSync(path.join(network.home, 'network.json'), 'utf8')) as NetworkDescriptor;
  } catch {
    return network;
  }
}

/**
 * An EndorserFactory for devnet: each anchor peer is matched to its PeerDescriptor in network.json (same org, same
 * port, host equal to the peer's host or name) to learn its TLS name and dial address; its org's TLS CA is trusted.
 * An org that joined the channel after this peer started (`devnet ministry-add`) is looked up in network.json as
 * it is now. `clientTls` is this peer's TLS key pair, for peers that require client certificates.
 */
export function newNetworkEndorserFactory(
  network: NetworkDescriptor,
  clientTls?: { certPem: Buffer; keyPem: Buffer },
): EndorserFactory {
  return (target: EndorserTarget) => {
    const org =
      network.organizations.find((o) => o.mspId === target.mspId) ??
      reread(network).organizations.find((o) => o.mspId === target.mspId);
    if (!org) throw new Error(`organization ${target.mspId} is not in network.json`);
    const descriptor = org.peers.find(
      (p) =>
        externalEndpointOf(p) === `${target.host}:${target.port}` ||
        (p.port === target.port && (p.host === target.host || p.name === target.host)),
    );
    return newRemoteEndorser({
      // Named as Fabric's gateway names it: by the endpoint the peer advertises.
      address: descriptor ? externalEndpointOf(descriptor) : `${target.host}:${target.port}`,
      dialAddress: descriptor ? `${descriptor.host}:${descriptor.port}` : `${target.host}:${target.port}`,
      serverName: descriptor?.name ?? target.host,
      tlsRootCertPem: fs.readFileSync(org.tlsCaCertPath),
      clientCertPem: clientTls?.certPem,
      clientKeyPem: clientTls?.keyPem,
    });
  };
}
