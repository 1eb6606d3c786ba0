import * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import { DeliverOptions, handleDeliver } from '../common/deliver/deliver';
import { BroadcastHandler } from './broadcast';
import type { Registrar } from './registrar';
import { deserializeEnvelope, serializeBroadcastResponse, serializeDeliverResponse } from './wire';

/**
 * `orderer.AtomicBroadcast` with the orderer's own (de)serializers ({@link ./wire}): Broadcast keeps
 * each envelope's bytes for its block and encodes its SUCCESS response once, Deliver writes blocks' encoded responses as they are.
 */
const atomicBroadcastService: grpc.ServiceDefinition = {
  ...orderer.AtomicBroadcastService,
  broadcast: {
    ...orderer.AtomicBroadcastService.broadcast,
    requestDeserialize: deserializeEnvelope,
    responseSerialize: serializeBroadcastResponse,
  },
  deliver: { ...orderer.AtomicBroadcastService.deliver, responseSerialize: serializeDeliverResponse },
};

/**
 * Adds the `orderer.AtomicBroadcast` service (Broadcast and Deliver) for the registrar's channels
 * to a gRPC server (fabric orderer/common/server/server.go).
 */
export function addAtomicBroadcastService(
  server: grpc.Server,
  registrar: Registrar,
  deliverOptions: DeliverOptions = {},
): void {
  const broadcast = new BroadcastHandler(registrar);
  const lookup = registrar.deliverLookup();
  server.addService(atomicBroadcastService, {
    broadcast: (call: grpc.ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>) =>
      broadcast.handle(call),
    deliver: (call: grpc.ServerDuplexStream<common.Envelope, orderer.DeliverResponse>) =>
      handleDeliver(call, lookup, 'orderer', deliverOptions),
  });
}
