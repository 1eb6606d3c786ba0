import * as grpc from '@grpc/grpc-js';
import { gateway, peer } from '@hyperledger/fabric-protos';
import { errorMessage, newRpcError, toRpcError } from './apiutils';
import { checkACL, GATEWAY_COMMIT_STATUS } from './acl';
import { transactionStatus } from './commitfinder';
import type { CallContext, GatewayContext } from './context';

/**
 * gateway.Gateway/CommitStatus (fabric commitstatus.go): checks the signed request against the channel's
 * `gateway/CommitStatus` ACL (default /Channel/Application/Readers) and answers with the transaction's
 * validation code and block number — at once if it already committed on this peer, else when it commits.
 */
export async function commitStatus(
  ctx: GatewayContext,
  signedRequest: gateway.SignedCommitStatusRequest,
  call: CallContext,
): Promise<gateway.CommitStatusResponse> {
  const requestBytes = signedRequest.getRequest_asU8();
  if (requestBytes.length === 0)
    throw newRpcError(grpc.status.INVALID_ARGUMENT, 'a commit status request is required');
  let request: gateway.CommitStatusRequest;
  try {
    request = gateway.CommitStatusRequest.deserializeBinary(requestBytes);
  } catch (err) {
    throw newRpcError(grpc.status.INVALID_ARGUMENT, `invalid status request: ${errorMessage(err)}`);
  }
  if (request.getIdentity_asU8().length === 0)
    throw newRpcError(grpc.status.INVALID_ARGUMENT, 'no identity provided');
  if (request.getChannelId() === '')
    throw newRpcError(grpc.status.INVALID_ARGUMENT, 'no channel ID provided');
  if (request.getTransactionId() === '')
    throw newRpcError(grpc.status.INVALID_ARGUMENT, 'transaction ID should not be empty');

  const channel = ctx.deps.getChannel(request.getChannelId());
  try {
    checkACL(channel, GATEWAY_COMMIT_STATUS, request.getChannelId(), {
      data: requestBytes,
      identity: request.getIdentity_asU8(),
      signature: signedRequest.getSignature_asU8(),
    });
  } catch (err) {
    throw newRpcError(grpc.status.PERMISSION_DENIED, errorMessage(err));
  }

  try {
    const location = await transactionStatus(channel!, request.getTransactionId(), call.signal);
    const response = new gateway.CommitStatusResponse();
    response.setResult(location.validationCode as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
    response.setBlockNumber(location.blockNumber);
    return response;
  } catch (err) {
    throw toRpcError(err, grpc.status.ABORTED);
  }
}
