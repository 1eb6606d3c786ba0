import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../config';

/**
 * Who endorses a transaction that carries transient (personal) data. The chaincode writes that
 * data to the issuer's implicit collection, and Fabric's gateway then lets only the collection's
 * members (the issuer's own organization) endorse unless the client names the organizations
 * (fabric internal/pkg/gateway: "retry specifying endorsing organization(s) to protect transient
 * data"). The channel policy (MAJORITY) needs more, so the gateway names its own organization
 * first and then others, in MSP id order, until a majority. Those peers see the transient data, as
 * with the peer CLI's `--peerAddresses`.
 * @param channelOrgs - every MSP id of the channel's application organizations.
 */
export function transientEndorsingOrgs(ownMspId: string, channelOrgs: readonly string[]): string[] {
  const others = [...new Set(channelOrgs)].filter((msp) => msp !== ownMspId).sort();
  const majority = Math.floor((others.length + 1) / 2) + 1;
  return [ownMspId, ...others].slice(0, majority);
}

/**
 * The channel's organizations: `GATEWAY_ENDORSING_ORGS` when given (comma-separated, used as is),
 * else the organizations of network-config's `network.json` in the devnet home (the profile
 * folder's parent), reduced with {@link transientEndorsingOrgs}. Empty when neither is available:
 * transactions with transient data are then endorsed as Fabric's gateway plans them.
 */
export function loadTransientEndorsers(
  ownMspId: string,
  explicit: string[] | undefined,
  profilePath: string,
): string[] {
  if (explicit && explicit.length > 0) return explicit;
  const file = path.join(path.dirname(path.dirname(profilePath)), 'network.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  try {
    const network = JSON.parse(text) as { organizations?: { mspId?: unknown }[] };
    const orgs = (network.organizations ?? [])
      .map((o) => o.mspId)
      .filter((m): m is string => typeof m === 'string');
    return orgs.includes(ownMspId) ? transientEndorsingOrgs(ownMspId, orgs) : [];
  } catch (err) {
    throw new ConfigError(`network description ${file} is not valid JSON: ${(err as Error).message}`);
  }
}
