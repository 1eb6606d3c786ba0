import * as grpc from '@grpc/grpc-js';
import { CallOptions } from '@grpc/grpc-js';
import { connect, Gateway, hash, Identity } from '@hyperledger/fabric-gateway';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config';
import { ConnectionProfile } from './profile';
import type { MessageSigner } from './signer';

/** Per-call deadlines (ms) of a Gateway connection. */
export interface DeadlineSettings {
  evaluate: number;
  endorse: number;
  submit: number;
  /** How long a submit waits for its commit status; past it, the outcome is unknown (202). */
  commitStatus: number;
}

/** Default deadlines, as fabric-samples' application-gateway-typescript sets them. */
export const Deadlines: Readonly<DeadlineSettings> = {
  evaluate: 5_000,
  endorse: 15_000,
  submit: 5_000,
  commitStatus: 60_000,
};

/** A supplier of call options with a deadline `ms` from now (evaluated per call). */
function deadlineIn(ms: number): () => CallOptions {
  return () => ({ deadline: Date.now() + ms });
}

/**
 * The one gRPC client to the profile's peer, TLS-authenticated against the peer's TLS CA and the
 * peer's host name (`peerHostAlias`), shared by every Gateway connection as fabric-gateway advises.
 */
export function newGrpcClient(profile: ConnectionProfile): grpc.Client {
  let tlsRootCert: Buffer;
  try {
    tlsRootCert = readFileSync(profile.tlsCaCertPath);
  } catch (err) {
    throw new ConfigError(`cannot read tlsCaCertPath ${profile.tlsCaCertPath}: ${(err as Error).message}`);
  }
  return new grpc.Client(profile.peerEndpoint, grpc.credentials.createSsl(tlsRootCert), {
    'grpc.ssl_target_name_override': profile.peerHostAlias,
    'grpc.default_authority': profile.peerHostAlias,
    // Keep the HTTP/2 connection alive so the first request after a quiet period is not slowed down.
    'grpc.keepalive_time_ms': 120_000,
  });
}

/**
 * Connects fabric-gateway over `client` with `deadlines` (default {@link Deadlines}). A `signer`
 * (signer.ts) hashes the messages itself, so fabric-gateway hands it them whole (`hash.none`).
 * Without a signer the Gateway only sends what its client signed offline (newSignedProposal,
 * newSignedTransaction, newSignedCommit), and the digests it gives that client to sign are SHA-256;
 * it opens nothing of its own, so making one is cheap.
 */
export function connectGateway(
  client: grpc.Client,
  identity: Identity,
  signer?: MessageSigner,
  deadlines: DeadlineSettings = Deadlines,
): Gateway {
  return connect({
    client,
    identity,
    signer,
    hash: signer ? hash.none : hash.sha256,
    evaluateOptions: deadlineIn(deadlines.evaluate),
    endorseOptions: deadlineIn(deadlines.endorse),
    submitOptions: deadlineIn(deadlines.submit),
    commitStatusOptions: deadlineIn(deadlines.commitStatus),
  });
}

/**
 * Waits until the client's channel to the peer is READY (TCP + TLS handshake + HTTP/2), at most
 * `timeoutMs`; rejects naming the endpoint otherwise. Used by /healthz.
 */
export function waitForPeer(client: grpc.Client, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    client.waitForReady(Date.now() + timeoutMs, (err?: Error) => {
      if (err) reject(new Error(`peer connection not ready within ${timeoutMs} ms: ${err.message}`));
      else resolve();
    });
  });
}
