import type { Contract, ProposalOptions } from '@hyperledger/fabric-gateway';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { common } from '@hyperledger/fabric-protos';
import { transientEndorsingOrgs } from '../../gateway/src/fabric/endorsers';
import { endorsersDisagreed } from '../../gateway/src/fabric/errors';
import { connectGateway, type GatewayConnection } from './gateway';

/** The transient map of a submit and the organisations named to endorse it. */
export type TransientSubmit = Required<Pick<ProposalOptions, 'transientData' | 'endorsingOrganizations'>>;

/**
 * A transient map with the endorsing organisations the HTTP gateway names for it
 * (gateway/src/fabric/endorsers.ts): Fabric's gateway refuses to plan endorsements beyond the
 * written collections' members for a proposal carrying transient data (FAILED_PRECONDITION), so a
 * client of `mspId`'s peer names them, as `peer chaincode invoke --peerAddresses` does.
 */
export function withTransient(
  net: NetworkDescriptor,
  mspId: string,
  transientData: Record<string, Uint8Array>,
): TransientSubmit {
  return {
    transientData,
    endorsingOrganizations: transientEndorsingOrgs(
      mspId,
      net.organizations.map((o) => o.mspId),
    ),
  };
}

/** Everything an error from fabric-gateway says, including each endorser's chaincode message. */
export function errorText(err: unknown): string {
  const details = (err as { details?: { message: string }[] }).details ?? [];
  return [(err as Error).message, ...details.map((d) => d.message)].join(' | ');
}

/**
 * Waits until every ministry's peer has committed block `blockNumber` (qscc GetChainInfo, as on any
 * Fabric network). A commit status comes from one peer; the others commit the same block moments
 * later, so a test that goes on through another ministry's peer must wait for it.
 */
export async function committedEverywhere(
  net: NetworkDescriptor,
  blockNumber: bigint,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const org of net.organizations) {
    for (;;) {
      if ((await chainHeight(net, org.mspId)) > blockNumber) break;
      if (Date.now() > deadline)
        throw new Error(`${org.mspId}'s peer has not committed block ${blockNumber} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Submits, waits until every peer has the block, and returns the parsed JSON result. */
export async function submitJson(
  net: NetworkDescriptor,
  contract: Contract,
  name: string,
  ...args: string[]
): Promise<ReturnType<typeof JSON.parse>> {
  return submitJsonWith(net, contract, name, args);
}

/** {@link submitJson} with a transient map and its endorsers (e.g. support/records registration). */
export async function submitJsonWith(
  net: NetworkDescriptor,
  contract: Contract,
  name: string,
  args: string[],
  transient?: TransientSubmit,
): Promise<ReturnType<typeof JSON.parse>> {
  const submitted = await submitAgreed(net, contract, name, args, transient);
  const status = await submitted.getStatus();
  if (!status.successful)
    throw new Error(`${name} committed as ${status.code} in block ${status.blockNumber}`);
  await committedEverywhere(net, status.blockNumber);
  return JSON.parse(Buffer.from(submitted.getResult()).toString());
}

/** How many times a submit whose endorsers disagree is tried again (the HTTP gateway's default). */
const DISAGREEMENT_RETRIES = 3;

/**
 * Endorses and orders a transaction, trying it again as a new one while its endorsers disagree (one
 * of them a block behind another suite's write): nothing was ordered, and the peers are brought
 * level first. The HTTP gateway's service layer does the same (gateway/src/fabric/chaincodeclient.ts).
 */
export async function submitAgreed(
  net: NetworkDescriptor,
  contract: Contract,
  name: string,
  args: string[],
  transient?: TransientSubmit,
): ReturnType<Contract['submitAsync']> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await contract.submitAsync(name, { arguments: args, ...transient });
    } catch (err) {
      if (attempt >= DISAGREEMENT_RETRIES || !endorsersDisagreed(err, transient?.endorsingOrganizations))
        throw err;
      await peersInSync(net);
    }
  }
}

/** Evaluates and returns the parsed JSON result. */
export async function evaluateJson(
  contract: Contract,
  name: string,
  ...args: string[]
): Promise<ReturnType<typeof JSON.parse>> {
  return JSON.parse(Buffer.from(await contract.evaluateTransaction(name, ...args)).toString());
}

/**
 * Waits until every ministry's peer is at the height of the highest one: after a write acknowledged
 * by one peer (an HTTP gateway answers once its own peer committed), reads through any peer see it.
 */
export async function peersInSync(net: NetworkDescriptor): Promise<void> {
  const heights = await Promise.all(net.organizations.map((org) => chainHeight(net, org.mspId)));
  const top = heights.reduce((a, b) => (a > b ? a : b));
  if (top > 0n) await committedEverywhere(net, top - 1n);
}

/**
 * One connection per peer for the height queries of a test file (closed after it: test/setup.ts):
 * a connection each time cost a TLS handshake per peer and query, several per submit.
 */
const heightConnections = new Map<string, GatewayConnection>();

/** Closes the connections of {@link chainHeight} (test/setup.ts, after each test file). */
export function closeHeightConnections(): void {
  for (const conn of heightConnections.values()) conn.close();
  heightConnections.clear();
}

/** The chain height on a ministry's peer; asked again on a new connection if the kept one fails (a restarted peer). */
async function chainHeight(net: NetworkDescriptor, mspId: string): Promise<bigint> {
  const key = `${net.home}|${mspId}`;
  const ask = async (conn: GatewayConnection): Promise<bigint> =>
    BigInt(
      common.BlockchainInfo.deserializeBinary(
        await conn.gateway
          .getNetwork(net.channel)
          .getContract('qscc')
          .evaluateTransaction('GetChainInfo', net.channel),
      ).getHeight(),
    );
  const kept = heightConnections.get(key);
  if (kept !== undefined) {
    try {
      return await ask(kept);
    } catch {
      kept.close();
      heightConnections.delete(key);
    }
  }
  const conn = connectGateway(net, mspId);
  heightConnections.set(key, conn);
  return ask(conn);
}
