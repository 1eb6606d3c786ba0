/** The peer's gateway.Gateway service (fabric internal/pkg/gateway). */
export { registerGatewayService, type GatewayServiceHandle } from './server';
export * from './deps';
export { newNetworkEndorserFactory, newRemoteEndorser, type RemoteEndorserOptions } from './endorserclient';
export {
  newBroadcastClient,
  newNetworkBroadcastClients,
  type BroadcastClientOptions,
} from './broadcastclient';
export { GatewayRpcError, decodeStatusDetails } from './apiutils';
