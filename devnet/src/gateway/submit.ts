import * as grpc from '@grpc/grpc-js';
import { common, gateway, orderer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { errorDetail, errorMessage, newRpcError } from './apiutils';
import { boundedDeadline, type CallContext, type GatewayContext } from './context';
import type { BroadcastClient } from './deps';
import { shuffle } from './shuffle';

const logger = getLogger('gateway.submit');

/**
 * gateway.Gateway/Submit (fabric submit.go, non-BFT): checks the prepared transaction carries a signature
 * (verifying it is left to the orderer, against /Channel/Writers, as Fabric's gateway does), then broadcasts it
 * to the channel's orderers in random order until one answers SUCCESS. A 4xx status is the client's fault:
 * Aborted "received unsuccessful response from orderer: status=…, info=…" at once; connection failures (and
 * other statuses) try the next orderer, and when none is left: Unavailable "no orderers could successfully
 * process transaction" with an ErrorDetail per failed connection.
 */
export async function submit(
  ctx: GatewayContext,
  request: gateway.SubmitRequest,
  call: CallContext,
): Promise<gateway.SubmitResponse> {
  const envelope = request.getPreparedTransaction();
  if (!envelope) throw newRpcError(grpc.status.INVALID_ARGUMENT, 'a prepared transaction is required');
  if (envelope.getSignature_asU8().length === 0) {
    throw newRpcError(grpc.status.INVALID_ARGUMENT, 'prepared transaction must be signed');
  }
  const channelId = request.getChannelId();
  const channel = ctx.deps.getChannel(channelId);
  if (!channel) throw newRpcError(grpc.status.FAILED_PRECONDITION, `channel ${channelId} not found`);

  const orderers = ctx.deps.orderers(channelId);
  if (orderers.length === 0) throw newRpcError(grpc.status.UNAVAILABLE, 'no orderer nodes available');
  const details: gateway.ErrorDetail[] = [];
  for (const ordererClient of (ctx.order ?? shuffle)(orderers)) {
    if (call.aborted) {
      throw newRpcError(
        grpc.status.DEADLINE_EXCEEDED,
        'submit timeout expired while broadcasting to ordering service',
      );
    }
    const response = await broadcastOnce(
      ctx,
      ordererClient,
      envelope,
      call,
      details,
      request.getTransactionId(),
    );
    if (response === undefined) continue;
    const status = response.getStatus();
    if (status === common.Status.SUCCESS) return new gateway.SubmitResponse();
    logger.warn(
      { txId: request.getTransactionId(), orderer: ordererClient.address, status },
      'unsuccessful response from orderer',
    );
    if (status >= 400 && status < 500) {
      throw newRpcError(
        grpc.status.ABORTED,
        `received unsuccessful response from orderer: status=${statusName(status)}, info=${response.getInfo()}`,
      );
    }
  }
  throw newRpcError(grpc.status.UNAVAILABLE, 'no orderers could successfully process transaction', details);
}

/** One Broadcast; a connection failure becomes an ErrorDetail and undefined. */
async function broadcastOnce(
  ctx: GatewayContext,
  client: BroadcastClient,
  envelope: common.Envelope,
  call: CallContext,
  details: gateway.ErrorDetail[],
  txId: string,
): Promise<orderer.BroadcastResponse | undefined> {
  logger.info({ txId, orderer: client.address }, 'sending transaction to orderer');
  try {
    return await client.broadcast(envelope, boundedDeadline(ctx.options.broadcastTimeoutMs, call));
  } catch (err) {
    logger.warn(
      { txId, orderer: client.address, error: errorMessage(err) },
      'error sending transaction to orderer',
    );
    details.push(errorDetail(client.address, client.mspId, errorMessage(err)));
    return undefined;
  }
}

/** common.Status's name for a number (Go's common.Status_name), e.g. 400 → BAD_REQUEST. */
export function statusName(status: number): string {
  const entry = Object.entries(common.Status).find(([, value]) => value === status);
  return entry ? entry[0] : String(status);
}
