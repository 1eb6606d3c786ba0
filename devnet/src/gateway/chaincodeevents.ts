import * as grpc from '@grpc/grpc-js';
import { gateway, orderer } from '@hyperledger/fabric-protos';
import { getLogger } from '../common/logging';
import { errorMessage, newRpcError } from './apiutils';
import { checkACL, GATEWAY_CHAINCODE_EVENTS } from './acl';
import { blockTransactions } from './block';
import { ChaincodeEventFilter } from './chaincodeeventfilter';
import type { CallContext, GatewayContext } from './context';
import type { GatewayBlockStore } from './deps';

const logger = getLogger('gateway.chaincodeevents');

/**
 * gateway.Gateway/ChaincodeEvents (fabric chaincodeevents.go): after the `gateway/ChaincodeEvents` ACL check,
 * streams one ChaincodeEventsResponse{events, block_number} per committed block that holds matching events
 * (see ChaincodeEventFilter), from the start block on, until the client goes away. The start block is the
 * block of `after_transaction_id` if this peer has it, else `start_position`: next commit (default) or a
 * specified block number. `send` resolves when the message is written (backpressure).
 */
export async function chaincodeEvents(
  ctx: GatewayContext,
  signedRequest: gateway.SignedChaincodeEventsRequest,
  call: CallContext,
  send: (response: gateway.ChaincodeEventsResponse) => Promise<void>,
): Promise<void> {
  const requestBytes = signedRequest.getRequest_asU8();
  if (requestBytes.length === 0)
    throw newRpcError(grpc.status.INVALID_ARGUMENT, 'a chaincode events request is required');
  let request: gateway.ChaincodeEventsRequest;
  try {
    request = gateway.ChaincodeEventsRequest.deserializeBinary(requestBytes);
  } catch (err) {
    throw newRpcError(grpc.status.INVALID_ARGUMENT, `invalid chaincode events request: ${errorMessage(err)}`);
  }
  const channel = ctx.deps.getChannel(request.getChannelId());
  try {
    checkACL(channel, GATEWAY_CHAINCODE_EVENTS, request.getChannelId(), {
      data: requestBytes,
      identity: request.getIdentity_asU8(),
      signature: signedRequest.getSignature_asU8(),
    });
  } catch (err) {
    throw newRpcError(grpc.status.PERMISSION_DENIED, errorMessage(err));
  }
  if (!channel) throw newRpcError(grpc.status.NOT_FOUND, `channel ${request.getChannelId()} not found`);

  const store = channel.store;
  const filter = new ChaincodeEventFilter(request.getChaincodeId(), request.getAfterTransactionId());
  for (let blockNumber = await startBlock(store, request); !call.signal.aborted; blockNumber++) {
    const block = await nextBlock(store, blockNumber, call.signal);
    if (!block) return;
    const events = filter.eventsOf(blockTransactions(block));
    if (events.length === 0) continue;
    const response = new gateway.ChaincodeEventsResponse();
    response.setBlockNumber(blockNumber);
    response.setEventsList(events);
    logger.debug({ blockNumber, events: events.length }, 'sending chaincode events');
    await send(response);
  }
}

/** Where the stream starts (fabric chaincodeEventsStartBlock / startBlockFromLedgerPosition). */
export async function startBlock(
  store: GatewayBlockStore,
  request: gateway.ChaincodeEventsRequest,
): Promise<number> {
  const afterTransactionId = request.getAfterTransactionId();
  if (afterTransactionId !== '') {
    const location = await store.getTxLocation(afterTransactionId);
    if (location) return location.blockNumber;
  }
  const position = request.getStartPosition();
  switch (position?.getTypeCase() ?? orderer.SeekPosition.TypeCase.TYPE_NOT_SET) {
    case orderer.SeekPosition.TypeCase.TYPE_NOT_SET:
    case orderer.SeekPosition.TypeCase.NEXT_COMMIT:
      return store.height();
    case orderer.SeekPosition.TypeCase.SPECIFIED:
      return position!.getSpecified()!.getNumber();
    case orderer.SeekPosition.TypeCase.NEWEST:
      throw newRpcError(
        grpc.status.INVALID_ARGUMENT,
        'invalid start position type: *orderer.SeekPosition_Newest',
      );
    default:
      throw newRpcError(
        grpc.status.INVALID_ARGUMENT,
        'invalid start position type: *orderer.SeekPosition_Oldest',
      );
  }
}

/** Block `blockNumber` once it is committed, or undefined when the client went away first. */
async function nextBlock(store: GatewayBlockStore, blockNumber: number, signal: AbortSignal) {
  try {
    await store.waitForHeight(blockNumber + 1, signal);
  } catch (err) {
    if (signal.aborted) return undefined;
    throw newRpcError(grpc.status.ABORTED, errorMessage(err));
  }
  const block = await store.getBlock(blockNumber);
  if (!block) throw newRpcError(grpc.status.ABORTED, `block ${blockNumber} not found in the ledger`);
  return block;
}
