import * as path from 'node:path';
import type { MinistryConfig, OrdererOrgConfig } from '../ministries/config';
import { CA } from './ca';
import { adminName, orgLayout, userName } from './layout';
import { generateLocalMSP, generateVerifyingMSP } from './msp';
import { NodeOU } from './nodeous';

/**
 * SANs of a node's TLS certificate: cryptogen's implicit `{{.CommonName}}` and `{{.Hostname}}`, plus
 * `localhost` and `127.0.0.1` as Fabric's test-network adds through `SANS`, since devnet listens on 127.0.0.1.
 */
export function nodeSANs(nodeName: string, hostname: string): string[] {
  return [nodeName, hostname, 'localhost', '127.0.0.1'];
}

/** Creates an organization's signing CA (`ca.<domain>`) and TLS CA (`tlsca.<domain>`) and its verifying MSP. */
async function generateOrgCAs(
  layout: ReturnType<typeof orgLayout>,
  domain: string,
): Promise<{ signCA: CA; tlsCA: CA }> {
  const [signCA, tlsCA] = await Promise.all([
    CA.create(layout.caDir, domain, `ca.${domain}`),
    CA.create(layout.tlsCaDir, domain, `tlsca.${domain}`),
  ]);
  generateVerifyingMSP(layout.mspDir, signCA, tlsCA);
  return { signCA, tlsCA };
}

/**
 * cryptogen's `generatePeerOrg` (NodeOUs enabled, `Users.Count` = ministry.users): CAs, org MSP, one
 * local MSP per peer (OU peer), `User1@<domain>`..`User<N>@<domain>` (OU client) and `Admin@<domain>` (OU admin).
 */
export async function generatePeerOrg(cryptoDir: string, ministry: MinistryConfig): Promise<void> {
  const layout = orgLayout(cryptoDir, 'peer', ministry.domain);
  const { signCA, tlsCA } = await generateOrgCAs(layout, ministry.domain);
  await Promise.all([
    ...ministry.peers.map((p) =>
      generateLocalMSP(
        path.join(layout.nodesDir, p.name),
        p.name,
        nodeSANs(p.name, p.hostname),
        signCA,
        tlsCA,
        NodeOU.peer,
      ),
    ),
    ...Array.from({ length: ministry.users }, (_, i) =>
      generateLocalMSP(
        path.join(layout.usersDir, userName(ministry.domain, i + 1)),
        userName(ministry.domain, i + 1),
        [],
        signCA,
        tlsCA,
        NodeOU.client,
      ),
    ),
    generateLocalMSP(
      path.join(layout.usersDir, adminName(ministry.domain)),
      adminName(ministry.domain),
      [],
      signCA,
      tlsCA,
      NodeOU.admin,
    ),
  ]);
}

/**
 * cryptogen's `generateOrdererOrg` (NodeOUs enabled): CAs, org MSP, the orderer node (OU orderer)
 * under `orderers/`, and `Admin@<domain>` (OU admin).
 */
export async function generateOrdererOrg(cryptoDir: string, orderer: OrdererOrgConfig): Promise<void> {
  const layout = orgLayout(cryptoDir, 'orderer', orderer.domain);
  const { signCA, tlsCA } = await generateOrgCAs(layout, orderer.domain);
  await Promise.all([
    generateLocalMSP(
      path.join(layout.nodesDir, orderer.nodeName),
      orderer.nodeName,
      nodeSANs(orderer.nodeName, orderer.hostname),
      signCA,
      tlsCA,
      NodeOU.orderer,
    ),
    generateLocalMSP(
      path.join(layout.usersDir, adminName(orderer.domain)),
      adminName(orderer.domain),
      [],
      signCA,
      tlsCA,
      NodeOU.admin,
    ),
  ]);
}
