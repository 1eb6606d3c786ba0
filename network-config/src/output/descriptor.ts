import * as path from 'node:path';
import type { MinistriesConfig } from '../ministries/config';
import { NODE_HOST } from '../configtx/profile';
import { adminName, nodeLayout, orgLayout, userName, type NodeLayout } from '../cryptogen/layout';
import type { CAConfig } from '../ministries/config';
import { buildCollectionsConfig, collectionsConfigPath } from './collections';
import type {
  CADescriptor,
  NetworkDescriptor,
  OrganizationDescriptor,
  OrdererDescriptor,
  UserDescriptor,
} from '../types';

/** `<home>/ca`: the certificate authorities' homes (TLS files, bootstrap secret, state). */
export const caHomesDir = (home: string): string => path.join(home, 'ca');

/** Fabric CA's default bootstrap enrollment id (`fabric-ca-server init -b admin:...`). */
export const CA_REGISTRAR_ID = 'admin';

/** An organization's CA: `<home>/ca/<domain>/{tls/server.{crt,key},registrar-secret,db/}`. */
function caDescriptor(home: string, ca: CAConfig, signingCaDir: string, tlsCaCertPath: string): CADescriptor {
  const dir = path.join(caHomesDir(home), ca.name.replace(/^ca\./, ''));
  return {
    name: ca.name,
    caName: ca.caName,
    host: NODE_HOST,
    port: ca.port,
    url: `https://localhost:${ca.port}`,
    signingCaDir,
    tls: {
      caCertPath: tlsCaCertPath,
      certPath: path.join(dir, 'tls', 'server.crt'),
      keyPath: path.join(dir, 'tls', 'server.key'),
    },
    registrar: { enrollmentId: CA_REGISTRAR_ID, secretPath: path.join(dir, 'registrar-secret') },
    stateDir: path.join(dir, 'db'),
  };
}

/** `<home>/crypto`: cryptogen's output folder. */
export const cryptoDir = (home: string): string => path.join(home, 'crypto');

/** `<home>/channel/<channel>.block`. */
export const genesisBlockPath = (home: string, channel: string): string =>
  path.join(home, 'channel', `${channel}.block`);

/** A user's descriptor from its cryptogen folder. */
function userDescriptor(name: string, layout: NodeLayout): UserDescriptor {
  return {
    name,
    mspDir: layout.mspDir,
    certPath: layout.certPath,
    keyPath: layout.keyPath,
    tls: { caCertPath: layout.tlsCaCertPath, certPath: layout.tlsCertPath, keyPath: layout.tlsKeyPath },
  };
}

/** The orderer's descriptor: node MSP and TLS, org MSP and CAs, admin, batch settings. */
function ordererDescriptor(config: MinistriesConfig, home: string, crypto: string): OrdererDescriptor {
  const o = config.orderer;
  const org = orgLayout(crypto, 'orderer', o.domain);
  const node = nodeLayout(org.nodesDir, o.nodeName, 'server');
  return {
    mspId: o.mspId,
    name: o.nodeName,
    host: NODE_HOST,
    port: o.port,
    operationsPort: o.operationsPort,
    mspDir: node.mspDir,
    tls: { caCertPath: node.tlsCaCertPath, certPath: node.tlsCertPath, keyPath: node.tlsKeyPath },
    orgMspDir: org.mspDir,
    caCertPath: org.caCertPath,
    tlsCaCertPath: org.tlsCaCertPath,
    admin: userDescriptor(adminName(o.domain), nodeLayout(org.usersDir, adminName(o.domain), 'client')),
    ca: caDescriptor(home, o.ca, org.caDir, org.tlsCaCertPath),
    batchTimeout: o.batchTimeout,
    maxMessageCount: o.batchSize.maxMessageCount,
    absoluteMaxBytes: o.batchSize.absoluteMaxBytes,
    preferredMaxBytes: o.batchSize.preferredMaxBytes,
  };
}

/** One ministry's descriptor: org MSP and CAs, peers, Admin and User1. */
function organizationDescriptor(
  m: MinistriesConfig['ministries'][number],
  home: string,
  crypto: string,
): OrganizationDescriptor {
  const org = orgLayout(crypto, 'peer', m.domain);
  const users = Array.from({ length: m.users }, (_, i) => {
    const name = userName(m.domain, i + 1);
    return userDescriptor(name, nodeLayout(org.usersDir, name, 'client'));
  });
  return {
    mspId: m.mspId,
    name: m.name,
    domain: m.domain,
    mspDir: org.mspDir,
    caCertPath: org.caCertPath,
    tlsCaCertPath: org.tlsCaCertPath,
    peers: m.peers.map((p) => {
      const node = nodeLayout(org.nodesDir, p.name, 'server');
      return {
        name: p.name,
        host: NODE_HOST,
        port: p.port,
        operationsPort: p.operationsPort,
        chaincodePort: p.chaincodePort,
        // devnet's peers advertise their names, as fabric-samples' test-network peers do.
        externalEndpoint: `${p.name}:${p.port}`,
        mspDir: node.mspDir,
        tls: { caCertPath: node.tlsCaCertPath, certPath: node.tlsCertPath, keyPath: node.tlsKeyPath },
      };
    }),
    admin: userDescriptor(adminName(m.domain), nodeLayout(org.usersDir, adminName(m.domain), 'client')),
    user: users[0],
    users,
    ca: caDescriptor(home, m.ca, org.caDir, org.tlsCaCertPath),
  };
}

/**
 * The NetworkDescriptor for a resolved list of ministries under `home`, with absolute paths in
 * cryptogen's layout. Pure: computes paths, touches no file.
 */
export function buildNetworkDescriptor(home: string, config: MinistriesConfig): NetworkDescriptor {
  const absHome = path.resolve(home);
  const crypto = cryptoDir(absHome);
  const withCollections = buildCollectionsConfig(config.ministries.map((m) => m.mspId)).length > 0;
  return {
    home: absHome,
    channel: config.channel,
    chaincode: { ...config.chaincode },
    ...(withCollections
      ? { collectionsConfigPath: collectionsConfigPath(absHome, config.chaincode.name) }
      : {}),
    genesisBlockPath: genesisBlockPath(absHome, config.channel),
    orderer: ordererDescriptor(config, absHome, crypto),
    organizations: config.ministries.map((m) => organizationDescriptor(m, absHome, crypto)),
  };
}

/** Every file or folder path named in a descriptor (keys ending in Path or Dir), for existence checks. */
export function descriptorPaths(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => descriptorPaths(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && /(Path|Dir)$/.test(key)) out.push(v);
      else descriptorPaths(v, out);
    }
  }
  return out;
}
