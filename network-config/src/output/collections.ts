import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetworkMaybeWithCAs } from '../types';

/**
 * The MSP id of the organization that issues the currency (the egov chaincode's `token` contract).
 * A network whose list has no such organization gets no account collections.
 */
export const CENTRAL_BANK_MSP = 'CentralBankMSP';

/**
 * The private data collection of the citizens' accounts of a ministry, e.g. `accountsEducationMSP`.
 * The same rule as the chaincode's `accountsCollection` (network-config does not depend on the
 * chaincode package; a unit test on each side pins the same example).
 */
export function accountsCollection(mspId: string): string {
  return `accounts${mspId}`;
}

/** One entry of a collections config in the peer CLI's JSON format (`--collections-config`). */
export interface CollectionConfigEntry {
  name: string;
  policy: string;
  requiredPeerCount: number;
  maxPeerCount: number;
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy: { signaturePolicy: string };
}

/**
 * The collections config of the network's chaincode: for every organization but the central bank,
 * `accounts<MSP>` held by that organization and the central bank, written and read by their members
 * only, and endorsed by a peer of either (its own endorsement policy, so a transaction writing only
 * there needs neither the other ministries nor their view of the amounts). Empty without a central bank.
 */
export function buildCollectionsConfig(mspIds: readonly string[]): CollectionConfigEntry[] {
  if (!mspIds.includes(CENTRAL_BANK_MSP)) return [];
  return mspIds
    .filter((msp) => msp !== CENTRAL_BANK_MSP)
    .map((msp) => ({
      name: accountsCollection(msp),
      policy: `OR('${CENTRAL_BANK_MSP}.member','${msp}.member')`,
      // The endorsing peer pushes the data to at most one other peer (the other member's); it does
      // not wait for it, so one member peer can endorse on its own.
      requiredPeerCount: 0,
      maxPeerCount: 1,
      blockToLive: 0,
      memberOnlyRead: true,
      memberOnlyWrite: true,
      endorsementPolicy: { signaturePolicy: `OR('${CENTRAL_BANK_MSP}.peer','${msp}.peer')` },
    }));
}

/** `<home>/collections/<chaincode>.json`: where the generator writes the chaincode's collections config. */
export function collectionsConfigPath(home: string, chaincodeName: string): string {
  return path.join(home, 'collections', `${chaincodeName}.json`);
}

/**
 * Writes the collections config of the network's chaincode to `network.collectionsConfigPath`
 * (nothing when the network has none) and returns its entries.
 */
export function writeCollectionsConfig(network: NetworkMaybeWithCAs): CollectionConfigEntry[] {
  const entries = buildCollectionsConfig(network.organizations.map((o) => o.mspId));
  const file = network.collectionsConfigPath;
  if (file === undefined) return entries;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(entries, null, 2)}\n`);
  return entries;
}
