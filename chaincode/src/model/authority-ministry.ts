import type { JsonObject } from '../lib/canonical';
import { StateCorruptError } from '../lib/errors';
import type { TxFacts } from '../lib/tx';

/**
 * A ministry registered for governance, under `gov.ministry` [mspId]. Chaincode cannot read the
 * channel configuration, so the ministries a quorum counts are the ones whose own root admin
 * (certificate OU=admin of that MSP) registered them: an MSP registers only itself, once, and
 * only identities the peers accept as members of the channel can submit at all.
 */
export interface Ministry {
  docType: 'ministry';
  mspId: string;
  registeredBy: string;
  registeredAt: string;
  txId: string;
}

/** Builds the registration of the caller's ministry. */
export function newMinistry(tx: TxFacts): Ministry {
  return {
    docType: 'ministry',
    mspId: tx.mspId,
    registeredBy: tx.clientId,
    registeredAt: tx.timestamp,
    txId: tx.txId,
  };
}

/**
 * Types a parsed world-state value as a ministry.
 * @throws StateCorruptError when it is not one.
 */
export function asMinistry(value: JsonObject, mspId: string): Ministry {
  if (value.docType !== 'ministry' || value.mspId !== mspId) {
    throw new StateCorruptError(`state under ministry ${mspId} is not a ministry`);
  }
  return value as unknown as Ministry;
}
