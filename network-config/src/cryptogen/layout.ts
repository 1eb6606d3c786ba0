import * as path from 'node:path';

/** cryptogen's user names: `Admin@<domain>` and `User<n>@<domain>` (`adminBaseName`, `userBaseName`). */
export const adminName = (domain: string): string => `Admin@${domain}`;
/** The n-th non-admin user of an organization (1-based, cryptogen's `Users: Count`), default `User1@<domain>`. */
export const userName = (domain: string, n = 1): string => `User${n}@${domain}`;

/** Paths of one organization in cryptogen's output layout. */
export interface OrgLayout {
  orgDir: string;
  caDir: string;
  caCertPath: string;
  tlsCaDir: string;
  tlsCaCertPath: string;
  mspDir: string;
  /** `peers/` for a peer organization, `orderers/` for the orderer organization. */
  nodesDir: string;
  usersDir: string;
}

/** Paths of a node's or user's local MSP and TLS folder. */
export interface NodeLayout {
  dir: string;
  mspDir: string;
  certPath: string;
  keyPath: string;
  tlsCaCertPath: string;
  tlsCertPath: string;
  tlsKeyPath: string;
}

/**
 * Where cryptogen puts an organization: `<cryptoDir>/peerOrganizations/<domain>` or
 * `<cryptoDir>/ordererOrganizations/<domain>`, with `ca/ca.<domain>-cert.pem` and `tlsca/tlsca.<domain>-cert.pem`.
 */
export function orgLayout(cryptoDir: string, kind: 'peer' | 'orderer', domain: string): OrgLayout {
  const orgDir = path.join(cryptoDir, kind === 'peer' ? 'peerOrganizations' : 'ordererOrganizations', domain);
  return {
    orgDir,
    caDir: path.join(orgDir, 'ca'),
    caCertPath: path.join(orgDir, 'ca', `ca.${domain}-cert.pem`),
    tlsCaDir: path.join(orgDir, 'tlsca'),
    tlsCaCertPath: path.join(orgDir, 'tlsca', `tlsca.${domain}-cert.pem`),
    mspDir: path.join(orgDir, 'msp'),
    nodesDir: path.join(orgDir, kind === 'peer' ? 'peers' : 'orderers'),
    usersDir: path.join(orgDir, 'users'),
  };
}

/** Local MSP paths of node `name` (or user `name`) under `parentDir`; TLS files are `server.*` or `client.*`. */
export function nodeLayout(parentDir: string, name: string, tlsPrefix: 'server' | 'client'): NodeLayout {
  const dir = path.join(parentDir, name);
  return {
    dir,
    mspDir: path.join(dir, 'msp'),
    certPath: path.join(dir, 'msp', 'signcerts', `${name}-cert.pem`),
    keyPath: path.join(dir, 'msp', 'keystore', 'priv_sk'),
    tlsCaCertPath: path.join(dir, 'tls', 'ca.crt'),
    tlsCertPath: path.join(dir, 'tls', `${tlsPrefix}.crt`),
    tlsKeyPath: path.join(dir, 'tls', `${tlsPrefix}.key`),
  };
}
