import type { Context } from 'fabric-contract-api';
import { caller } from './identity';
import { txTimestampISO } from './time';

/** What a transaction knows about itself: everything here is identical on every endorser. */
export interface TxFacts {
  /** Fabric transaction id (hex SHA-256 of nonce ‖ creator); also the id of objects it creates. */
  txId: string;
  /** Transaction timestamp from the proposal header, ISO 8601 UTC. */
  timestamp: string;
  /** MSP ID of the caller. */
  mspId: string;
  /** `x509::<subject>::<issuer>` of the caller. */
  clientId: string;
}

/** Collects the facts of the current transaction. */
export function txFacts(ctx: Context): TxFacts {
  const who = caller(ctx);
  return { txId: ctx.stub.getTxID(), timestamp: txTimestampISO(ctx), mspId: who.mspId, clientId: who.id };
}
