import * as grpc from '@grpc/grpc-js';
import { peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';

const logger = getLogger('peer.endorser');

/** The local endorser (endorser/ Endorser) as the gRPC service needs it. */
export interface ProposalProcessor {
  processProposal(signedProposal: peer.SignedProposal): Promise<peer.ProposalResponse>;
}

/**
 * Adds `protos.Endorser/ProcessProposal` to the peer's server (fabric core/endorser, served by
 * internal/peer/node/start.go). The endorser answers chaincode failures with a ProposalResponse (status 500
 * and message, no endorsement), as Fabric does; when it rejects (the proposal failed the checks before
 * execution: malformed, wrong signature, access denied), the caller gets a gRPC error with that message —
 * Fabric's endorser returns an error then too, which grpc-go sends as status UNKNOWN.
 */
export function registerEndorserService(server: grpc.Server, endorser: ProposalProcessor): void {
  server.addService(peer.EndorserService, {
    processProposal: (
      call: grpc.ServerUnaryCall<peer.SignedProposal, peer.ProposalResponse>,
      callback: grpc.sendUnaryData<peer.ProposalResponse>,
    ) => {
      endorser.processProposal(call.request).then(
        (response) => callback(null, response),
        (err: Error) => {
          logger.warn({ err: err.message, from: call.getPeer() }, 'proposal rejected');
          callback({ code: grpc.status.UNKNOWN, details: err.message });
        },
      );
    },
  });
}
