import { counter, histogram } from './registry';

/** endorser_proposals_received: counted for every ProcessProposal. */
export function proposalReceived(): void {
  counter('endorser_proposals_received', 'The number of proposals received.').inc();
}

/**
 * endorser_proposal_duration{channel, chaincode, success} (seconds), and endorser_successful_proposals
 * when it succeeded. Fabric observes the duration only for proposals that passed pre-processing.
 */
export function proposalCompleted(
  channel: string,
  chaincode: string,
  success: boolean,
  seconds: number,
): void {
  histogram('endorser_proposal_duration', 'The time to complete a proposal.', [
    'channel',
    'chaincode',
    'success',
  ]).observe({ channel, chaincode, success: String(success) }, seconds);
  if (success) counter('endorser_successful_proposals', 'The number of successful proposals.').inc();
}

/** endorser_proposal_validation_failures: a proposal failed the initial checks. */
export function proposalValidationFailed(): void {
  counter(
    'endorser_proposal_validation_failures',
    'The number of proposals that have failed initial validation.',
  ).inc();
}
