import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type {
  NetworkMaybeWithCAs,
  OrdererDescriptor,
  OrganizationDescriptor,
  OrganizationMaybeWithCA,
  PeerDescriptor,
} from '../types';

/** A TLS CA certificate inline, as fabric-samples' profiles carry it. */
interface PemRef {
  pem: string;
}

/** A peer or orderer entry of a common connection profile. */
interface NodeEntry {
  url: string;
  tlsCACerts: PemRef;
  grpcOptions: Record<string, string>;
}

/**
 * Hyperledger Fabric's common connection profile (fabric-samples' `connection-org1.json`), read by
 * fabric-network, Caliper and the Fabric SDKs. Besides the organization's own peers it lists every
 * ministry's peer and the orderer under `channels`, so that clients without service discovery
 * (devnet has none yet) can endorse across ministries and submit; and the client organization's
 * certificate authority (Fabric CA's API), for fabric-ca-client enrollment, where the network runs one.
 */
export interface ConnectionProfile {
  name: string;
  version: string;
  client: {
    organization: string;
    connection: { timeout: { peer: { endorser: string }; orderer: string } };
  };
  channels: Record<string, { orderers: string[]; peers: Record<string, PeerRoles> }>;
  organizations: Record<string, { mspid: string; peers: string[]; certificateAuthorities: string[] }>;
  orderers: Record<string, NodeEntry>;
  peers: Record<string, NodeEntry>;
  certificateAuthorities: Record<
    string,
    { url: string; caName: string; tlsCACerts: { pem: string[] }; httpOptions: { verify: boolean } }
  >;
}

/** A peer's roles on the channel (all true: every devnet peer endorses, commits and serves queries and events). */
interface PeerRoles {
  endorsingPeer: boolean;
  chaincodeQuery: boolean;
  ledgerQuery: boolean;
  eventSource: boolean;
}

/** `<home>/profiles/connection-<ministry>.{json,yaml}`, fabric-samples' `connection-org1.json` naming. */
export function connectionProfilePath(
  home: string,
  org: Pick<OrganizationDescriptor, 'name'>,
  ext: 'json' | 'yaml',
): string {
  return path.join(home, 'profiles', `connection-${org.name.toLowerCase()}.${ext}`);
}

function pem(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

function nodeEntry(node: PeerDescriptor | Omit<OrdererDescriptor, 'ca'>, tlsCaCertPath: string): NodeEntry {
  return {
    url: `grpcs://${node.host}:${node.port}`,
    tlsCACerts: { pem: pem(tlsCaCertPath) },
    grpcOptions: {
      'ssl-target-name-override': node.name,
      hostnameOverride: node.name,
    },
  };
}

/** The common connection profile of `org` (its client organization) on `network`. */
export function buildConnectionProfile(
  network: NetworkMaybeWithCAs,
  org: OrganizationMaybeWithCA,
): ConnectionProfile {
  const peers: ConnectionProfile['peers'] = {};
  const organizations: ConnectionProfile['organizations'] = {};
  const certificateAuthorities: ConnectionProfile['certificateAuthorities'] = {};
  const roles: Record<string, PeerRoles> = {};
  for (const o of network.organizations) {
    organizations[o.name] = {
      mspid: o.mspId,
      peers: o.peers.map((p) => p.name),
      certificateAuthorities: o.ca ? [o.ca.name] : [],
    };
    for (const p of o.peers) {
      peers[p.name] = nodeEntry(p, o.tlsCaCertPath);
      roles[p.name] = { endorsingPeer: true, chaincodeQuery: true, ledgerQuery: true, eventSource: true };
    }
  }
  // Only the client organization's CA: a ministry enrolls its own users.
  if (org.ca)
    certificateAuthorities[org.ca.name] = {
      url: org.ca.url,
      caName: org.ca.caName,
      tlsCACerts: { pem: [pem(org.ca.tls.caCertPath)] },
      httpOptions: { verify: true },
    };
  const orderer = network.orderer;
  return {
    name: `govfabric-${org.name.toLowerCase()}`,
    version: '1.0.0',
    client: {
      organization: org.name,
      connection: { timeout: { peer: { endorser: '300' }, orderer: '300' } },
    },
    channels: { [network.channel]: { orderers: [orderer.name], peers: roles } },
    organizations,
    orderers: { [orderer.name]: nodeEntry(orderer, orderer.tlsCaCertPath) },
    peers,
    certificateAuthorities,
  };
}

/** Writes every ministry's common connection profile as JSON and YAML; returns the files written. */
export function writeConnectionProfiles(network: NetworkMaybeWithCAs): string[] {
  fs.mkdirSync(path.join(network.home, 'profiles'), { recursive: true });
  const written: string[] = [];
  for (const org of network.organizations) {
    const profile = buildConnectionProfile(network, org);
    const json = connectionProfilePath(network.home, org, 'json');
    const yaml = connectionProfilePath(network.home, org, 'yaml');
    fs.writeFileSync(json, `${JSON.stringify(profile, null, 2)}\n`);
    fs.writeFileSync(yaml, stringify(profile));
    written.push(json, yaml);
  }
  return written;
}
