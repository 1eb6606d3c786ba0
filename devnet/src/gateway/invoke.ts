import * as grpc from '@grpc/grpc-js';
import { peer } from '@hyperledger/fabric-protos';
import { responseStatus, type ResponseStatus } from './apiutils';
import type { GatewayEndorser } from './registry';

/** One endorser's answer to a proposal, classified. */
export interface EndorserOutcome {
  response?: peer.ProposalResponse;
  status: ResponseStatus;
}

/**
 * Sends the proposal to one endorser and classifies the answer with responseStatus. A remote rejection counts as
 * a connection failure (no response); a local rejection as a failed check (response and error), as Fabric's
 * EndorserServerAdapter sees them. Gives up at `deadline` (DeadlineExceeded, like a cancelled Go context).
 * `evaluateOnly` (Evaluate) lets this peer's own endorser skip what only an endorsement needs.
 */
export async function invokeEndorser(
  endorser: GatewayEndorser,
  signedProposal: peer.SignedProposal,
  deadline: Date,
  evaluateOnly = false,
): Promise<EndorserOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(deadlineExceeded()), Math.max(0, deadline.getTime() - Date.now()));
  });
  try {
    const response = await Promise.race([
      endorser.client.processProposal(signedProposal, {
        deadline,
        evaluateOnly: evaluateOnly && endorser.local,
      }),
      timeout,
    ]);
    return { response, status: responseStatus(response) };
  } catch (err) {
    // A timeout is no answer at all, wherever the endorser runs.
    const answered = endorser.local && !(err instanceof DeadlineExceededError);
    const asResponse = answered ? new peer.ProposalResponse() : undefined;
    return { status: responseStatus(asResponse, err) };
  } finally {
    clearTimeout(timer);
  }
}

/** The error a Go gRPC call returns when its context's deadline passes. */
class DeadlineExceededError extends Error implements grpc.ServiceError {
  readonly code = grpc.status.DEADLINE_EXCEEDED;
  readonly details = 'context deadline exceeded';
  readonly metadata = new grpc.Metadata();
  constructor() {
    super('context deadline exceeded');
  }
}

function deadlineExceeded(): DeadlineExceededError {
  return new DeadlineExceededError();
}
