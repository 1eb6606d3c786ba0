/* eslint-disable @typescript-eslint/no-explicit-any -- the tally's answer is arbitrary JSON */
import type { Contract } from '@hyperledger/fabric-gateway';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { evaluateJson, submitJson } from './calls';

/** A governance proposal as `governance:Propose` takes it. */
export interface Proposal {
  id: string;
  kind: 'law' | 'article' | 'rule' | 'setting';
  content: object;
}

/**
 * Enacts a proposal: the first admin proposes it, every admin approves it (in parallel: each
 * ministry's decision is its own key), the first one tallies. Give admins of enough registered
 * ministries for the quorum (a majority by default).
 * @returns the tallied proposal (status ENACTED).
 * @throws Error when the tally does not enact it.
 */
export async function enact(net: NetworkDescriptor, admins: Contract[], proposal: Proposal): Promise<any> {
  await submitJson(net, admins[0], 'governance:Propose', JSON.stringify(proposal));
  await Promise.all(admins.map((admin) => submitJson(net, admin, 'governance:Approve', proposal.id)));
  const tally = await submitJson(net, admins[0], 'governance:Tally', proposal.id);
  if (tally.status !== 'ENACTED')
    throw new Error(`proposal ${proposal.id} tallied as ${String(tally.status)}, not ENACTED`);
  return tally;
}

/**
 * Enacts the currency's supply policy (setting `currency`) unless one is in force already: the
 * code never changes once enacted, so suites sharing a network share the first one's policy.
 * @returns the policy in force.
 */
export async function ensureCurrency(
  net: NetworkDescriptor,
  admins: Contract[],
  policy: { code: string; minorUnits: number; maxSupply: string },
  proposalId: string,
): Promise<{ code: string; minorUnits: number; maxSupply: string }> {
  const current = await evaluateJson(admins[0], 'token:GetCurrency');
  if (current.policy) return current.policy;
  await enact(net, admins, { id: proposalId, kind: 'setting', content: { name: 'currency', value: policy } });
  return policy;
}
