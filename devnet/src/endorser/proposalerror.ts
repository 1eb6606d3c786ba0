import { peer } from '@hyperledger/fabric-protos';

/**
 * A proposal the endorser refused before running chaincode (unpack, validation, duplicate, ACL).
 * Fabric returns both a 500 ProposalResponse and a gRPC error in these cases, so the client sees
 * only the error: the peer's gRPC Endorser service should answer with status UNKNOWN and this
 * message, and the local gateway treats the rejection as the peer's verdict.
 */
export class ProposalError extends Error {
  /** The 500 response Fabric builds alongside the error. */
  readonly proposalResponse: peer.ProposalResponse;

  constructor(message: string) {
    super(message);
    this.name = 'ProposalError';
    const response = new peer.Response();
    response.setStatus(500);
    response.setMessage(message);
    this.proposalResponse = new peer.ProposalResponse();
    this.proposalResponse.setResponse(response);
  }
}
