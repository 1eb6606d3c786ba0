import * as grpc from '@grpc/grpc-js';
import { Contract } from '@hyperledger/fabric-gateway';
import { HealthCheck } from '../routes/health';
import { waitForPeer } from './connection';

/** Deadline of the probes' calls (ms): short, so probes answer quickly when the peer is down. */
export const PROBE_DEADLINE_MS = 2000;

/** Liveness: the gRPC channel to the peer reaches READY (TLS handshake done) within the probe deadline. */
export function peerConnectionCheck(client: grpc.Client, endpoint: string): HealthCheck {
  return { component: `peer ${endpoint}`, check: () => waitForPeer(client, PROBE_DEADLINE_MS) };
}

/**
 * Readiness: the peer holds the channel and tells its height (qscc GetChainInfo, through `source`),
 * answered as `{height}` (a decimal string: a uint64) under the component `channel <name>`.
 */
export function channelHeightCheck(source: { height(): Promise<bigint> }, channel: string): HealthCheck {
  return {
    component: `channel ${channel}`,
    check: async () => ({ height: (await source.height()).toString() }),
  };
}

/**
 * Readiness: the chaincode answers an evaluate of `org.hyperledger.fabric:GetMetadata` (the system
 * contract every fabric-contract-api chaincode has) through the peer's Gateway service. `contract`
 * is the chaincode's default contract (`network.getContract(name)`, no contract name).
 */
export function chaincodeCheck(contract: Pick<Contract, 'newProposal' | 'getChaincodeName'>): HealthCheck {
  return {
    component: `chaincode ${contract.getChaincodeName()}`,
    check: async () => {
      await contract
        .newProposal('org.hyperledger.fabric:GetMetadata')
        .evaluate({ deadline: Date.now() + PROBE_DEADLINE_MS });
    },
  };
}
