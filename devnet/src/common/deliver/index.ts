/** The Deliver server shared by the orderer and the peers (fabric common/deliver, core/peer/deliverevents.go). */
export { handleDeliver, DEFAULT_TIME_WINDOW_MS } from './deliver';
export type {
  DeliverSupport,
  DeliverSupportLookup,
  DeliverOptions,
  DeliverPolicy,
  DeliverCall,
} from './deliver';
export type { DeliverMode, DeliverResponseMessage, PrivateDataMap, Status } from './responsesender';
export { toFilteredBlock } from './filteredblock';
export { expiresAt } from './expiresat';
