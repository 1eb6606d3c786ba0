import * as grpc from '@grpc/grpc-js';
import { gateway, peer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { errorDetail, errorMessage, newRpcError } from './apiutils';
import { boundedDeadline, type CallContext, type GatewayContext } from './context';
import { invokeEndorser } from './invoke';
import { unpackProposal, type UnpackedProposal } from './proposal';
import { hasChaincode } from './registry';

const logger = getLogger('gateway.evaluate');

/**
 * gateway.Gateway/Evaluate (fabric evaluate.go): runs the proposal on one peer — this peer's org first, then
 * the others — and returns its chaincode Response with the transaction result as payload. Connection failures
 * and peer-side 500s move on to the next peer; a chaincode error (or a failed check) ends the call with
 * "evaluate call to endorser returned error: …"; when every peer failed, "failed to evaluate transaction, see
 * attached details for more info". With transient data and no target orgs, only this peer's org is asked.
 */
export async function evaluate(
  ctx: GatewayContext,
  request: gateway.EvaluateRequest,
  call: CallContext,
): Promise<gateway.EvaluateResponse> {
  const proposal = unpackOrThrow(request.getProposedTransaction());
  const channel = ctx.deps.getChannel(proposal.channelId);
  if (!channel) {
    // Fabric's wording (registry.connectChannelPeers over the discovery support's Config).
    throw newRpcError(
      grpc.status.UNAVAILABLE,
      `failed to get config for channel [${proposal.channelId}]: could not get last config for channel ${proposal.channelId}`,
    );
  }
  let targetOrgs = request.getTargetOrganizationsList();
  const transientProtected = proposal.hasTransientData && targetOrgs.length === 0;
  if (transientProtected) targetOrgs = [ctx.registry.localMspId];

  const endorsers = hasChaincode(ctx.deps, proposal.channelId, proposal.chaincodeName)
    ? ctx.registry.evaluator(channel, targetOrgs)
    : [];
  if (endorsers.length === 0) {
    const reason = `no peers available to evaluate chaincode ${proposal.chaincodeName} in channel ${proposal.channelId}`;
    throw newRpcError(
      grpc.status.FAILED_PRECONDITION,
      transientProtected
        ? `no endorsers found in the gateway's organization; retry specifying target organization(s) to protect transient data: ${reason}`
        : reason,
    );
  }

  const details: gateway.ErrorDetail[] = [];
  let lastCode: grpc.status = grpc.status.UNAVAILABLE;
  for (const endorser of endorsers) {
    if (call.aborted) throw newRpcError(grpc.status.DEADLINE_EXCEEDED, 'evaluate timeout expired');
    const outcome = await invokeEndorser(
      endorser,
      request.getProposedTransaction()!,
      boundedDeadline(ctx.options.endorsementTimeoutMs, call),
      true,
    );
    if (outcome.status.code === grpc.status.OK) {
      logger.debug(
        { txId: proposal.txId, endorser: endorser.address },
        'evaluate call to endorser returned success',
      );
      return evaluateResponse(outcome.response!, endorser.local);
    }
    logger.debug(
      { txId: proposal.txId, endorser: endorser.address, error: outcome.status.message },
      'evaluate call to endorser failed',
    );
    details.push(errorDetail(endorser.address, endorser.mspId, outcome.status.message));
    if (outcome.status.remove) ctx.registry.removeEndorser(endorser);
    if (!outcome.status.retry) {
      throw newRpcError(
        outcome.status.code,
        `evaluate call to endorser returned error: ${outcome.status.message}`,
        details,
      );
    }
    lastCode = outcome.status.code;
  }
  throw newRpcError(lastCode, 'failed to evaluate transaction, see attached details for more info', details);
}

/**
 * The result for the client: the chaincode Response, its payload taken from the ChaincodeAction when there is one.
 * This peer's endorser, asked to evaluate only, answers with the chaincode's Response itself.
 */
function evaluateResponse(proposalResponse: peer.ProposalResponse, local: boolean): gateway.EvaluateResponse {
  const response = proposalResponse.getResponse() ?? new peer.Response();
  // Fabric prefers the result in the proposal response payload: Response.payload need not be the tx result.
  const result =
    local && proposalResponse.getPayload_asU8().length === 0
      ? undefined
      : resultFromProposalResponse(proposalResponse);
  if (result !== undefined) response.setPayload(result);
  const evaluateResponse = new gateway.EvaluateResponse();
  evaluateResponse.setResult(response);
  return evaluateResponse;
}

/** ProposalResponse.payload → ProposalResponsePayload.extension → ChaincodeAction.response.payload, if decodable. */
export function resultFromProposalResponse(proposalResponse: peer.ProposalResponse): Uint8Array | undefined {
  try {
    const payload = peer.ProposalResponsePayload.deserializeBinary(proposalResponse.getPayload_asU8());
    const action = peer.ChaincodeAction.deserializeBinary(payload.getExtension_asU8());
    return action.getResponse()?.getPayload_asU8() ?? new Uint8Array();
  } catch (err) {
    logger.warn({ error: errorMessage(err) }, 'successful proposal response contained no transaction result');
    return undefined;
  }
}

function unpackOrThrow(signedProposal: peer.SignedProposal | undefined): UnpackedProposal {
  try {
    return unpackProposal(signedProposal);
  } catch (err) {
    throw newRpcError(
      grpc.status.INVALID_ARGUMENT,
      `failed to unpack transaction proposal: ${errorMessage(err)}`,
    );
  }
}
