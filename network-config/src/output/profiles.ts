import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetworkMaybeWithCAs, OrganizationMaybeWithCA, Profile, UserDescriptor } from '../types';

/** `<home>/profiles/<MSPID>.json` (User1) or `<home>/profiles/<MSPID>-admin.json` (Admin). */
export function profilePath(home: string, mspId: string, admin = false): string {
  return path.join(home, 'profiles', `${mspId}${admin ? '-admin' : ''}.json`);
}

/** The connection profile of one identity of a ministry, pointing at the ministry's first peer. */
export function buildProfile(
  network: NetworkMaybeWithCAs,
  org: OrganizationMaybeWithCA,
  identity: UserDescriptor,
): Profile {
  const peer = org.peers[0];
  return {
    mspId: org.mspId,
    channel: network.channel,
    chaincode: { ...network.chaincode },
    peerEndpoint: `${peer.host}:${peer.port}`,
    peerHostAlias: peer.name,
    tlsCaCertPath: org.tlsCaCertPath,
    certPath: identity.certPath,
    keyPath: identity.keyPath,
  };
}

/** Writes User1 and Admin profiles of every ministry; returns the files written. */
export function writeProfiles(network: NetworkMaybeWithCAs): string[] {
  fs.mkdirSync(path.join(network.home, 'profiles'), { recursive: true });
  const written: string[] = [];
  for (const org of network.organizations) {
    for (const [identity, admin] of [
      [org.user, false],
      [org.admin, true],
    ] as const) {
      const file = profilePath(network.home, org.mspId, admin);
      fs.writeFileSync(file, `${JSON.stringify(buildProfile(network, org, identity), null, 2)}\n`);
      written.push(file);
    }
  }
  return written;
}
