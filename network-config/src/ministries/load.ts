import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { CAConfig, MinistriesConfig, MinistryConfig, OrdererOrgConfig } from './config';
import { MinistriesConfigError } from './errors';
import { ministriesFileSchema, type MinistriesFile } from './schema';
import { parseByteSize } from './sizes';

/** First ports of the position-based assignment (peer i gets base + step × i). */
const PEER_PORT_BASE = 7051;
const PEER_PORT_STEP = 1000;
const PEER_OPERATIONS_PORT_BASE = 9444;
const CHAINCODE_PORT_BASE = 7052;
/** Fabric CA's default port 7054, then one per ministry like the peers (8054, 9054, ...), as test-network does. */
const CA_PORT_BASE = 7054;
/** The ordering organization's CA: apart from the ministries' sequence. */
const ORDERER_CA_PORT = 6054;
const UINT32_MAX = 0xffffffff;

/** `network-config/ministries.yaml`, found from both `src/` (ts-jest) and `dist/` (compiled). */
export function defaultMinistriesFile(): string {
  return path.resolve(__dirname, '..', '..', 'ministries.yaml');
}

/**
 * Reads, validates and resolves the list of ministries.
 * @param file path of the YAML file; default `network-config/ministries.yaml`.
 * @throws MinistriesConfigError listing every problem (unknown keys, bad names, duplicate MSP ids or ports).
 */
export function loadMinistries(file: string = defaultMinistriesFile()): MinistriesConfig {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new MinistriesConfigError(absolute, [`cannot read the file: ${(err as Error).message}`]);
  }
  return { ...parseMinistries(text, absolute), sourceFile: absolute };
}

/**
 * Validates and resolves the list of ministries from YAML text.
 * @param source names the text in error messages (usually the file path).
 */
export function parseMinistries(text: string, source = 'ministries.yaml'): MinistriesConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new MinistriesConfigError(
      source,
      doc.errors.map((e) => `YAML syntax: ${e.message}`),
    );
  }
  const parsed = ministriesFileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new MinistriesConfigError(source, parsed.error.issues.map(describeIssue));
  }
  const config = resolveMinistries(parsed.data, createHash('sha256').update(text).digest('hex'));
  const problems = findConflicts(config);
  if (problems.length > 0) throw new MinistriesConfigError(source, problems);
  return config;
}

/** Applies defaults: one peer `peer0` per ministry, ports by global peer position, sizes in bytes. */
export function resolveMinistries(file: MinistriesFile, sha256: string): MinistriesConfig {
  let position = 0;
  const ministries: MinistryConfig[] = file.ministries.map((m, index) => ({
    mspId: m.mspId,
    name: m.name,
    domain: m.domain,
    ca: caConfig(m.domain, m.name, m.ca?.port ?? CA_PORT_BASE + PEER_PORT_STEP * index),
    users: m.users ?? 1,
    peers: (m.peers ?? [{}]).map((p, j) => {
      const i = position++;
      const hostname = p.hostname ?? `peer${j}`;
      return {
        hostname,
        name: `${hostname}.${m.domain}`,
        port: p.port ?? PEER_PORT_BASE + PEER_PORT_STEP * i,
        operationsPort: p.operationsPort ?? PEER_OPERATIONS_PORT_BASE + i,
        chaincodePort: p.chaincodePort ?? CHAINCODE_PORT_BASE + PEER_PORT_STEP * i,
      };
    }),
  }));
  const o = file.orderer;
  const orderer: OrdererOrgConfig = {
    name: o.name,
    mspId: o.mspId,
    domain: o.domain,
    hostname: o.hostname,
    nodeName: `${o.hostname}.${o.domain}`,
    port: o.port,
    operationsPort: o.operationsPort,
    ca: caConfig(o.domain, o.name, o.ca.port ?? ORDERER_CA_PORT),
    batchTimeout: o.batchTimeout,
    batchSize: {
      maxMessageCount: o.batchSize.maxMessageCount,
      absoluteMaxBytes: parseByteSize(o.batchSize.absoluteMaxBytes),
      preferredMaxBytes: parseByteSize(o.batchSize.preferredMaxBytes),
    },
  };
  return { channel: file.channel, chaincode: { ...file.chaincode }, orderer, ministries, sha256 };
}

/** A CA's node name is cryptogen's signing CA name (`ca.<domain>`); its Fabric CA name `ca-<org name>`. */
function caConfig(domain: string, orgName: string, port: number): CAConfig {
  return { name: `ca.${domain}`, caName: `ca-${orgName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, port };
}

/** Cross-entry checks the schema cannot express: uniqueness of MSP ids, names, domains, node names and ports. */
function findConflicts(config: MinistriesConfig): string[] {
  const problems: string[] = [];
  const claim = (seen: Map<string, string>, what: string, value: string, where: string): void => {
    const first = seen.get(value);
    if (first !== undefined)
      problems.push(`${where}: duplicate ${what} "${value}" (already used by ${first})`);
    else seen.set(value, where);
  };
  const mspIds = new Map<string, string>();
  const names = new Map<string, string>();
  const domains = new Map<string, string>();
  const nodes = new Map<string, string>();
  const ports = new Map<string, string>();
  const o = config.orderer;
  claim(mspIds, 'MSP id', o.mspId, 'orderer.mspId');
  claim(names, 'organization name', o.name, 'orderer.name');
  claim(domains, 'domain', o.domain, 'orderer.domain');
  claim(nodes, 'node name', o.nodeName, 'orderer.hostname');
  claim(ports, 'port', String(o.port), 'orderer.port');
  claim(ports, 'port', String(o.operationsPort), 'orderer.operationsPort');
  claim(ports, 'port', String(o.ca.port), 'orderer.ca.port');
  config.ministries.forEach((m, i) => {
    claim(mspIds, 'MSP id', m.mspId, `ministries[${i}].mspId`);
    claim(names, 'organization name', m.name, `ministries[${i}].name`);
    claim(domains, 'domain', m.domain, `ministries[${i}].domain`);
    m.peers.forEach((p, j) => {
      const at = `ministries[${i}].peers[${j}]`;
      claim(nodes, 'node name', p.name, `${at}.hostname`);
      claim(ports, 'port', String(p.port), `${at}.port`);
      claim(ports, 'port', String(p.operationsPort), `${at}.operationsPort`);
      claim(ports, 'port', String(p.chaincodePort), `${at}.chaincodePort`);
    });
    claim(ports, 'port', String(m.ca.port), `ministries[${i}].ca.port`);
  });
  const b = o.batchSize;
  for (const [key, value] of [
    ['absoluteMaxBytes', b.absoluteMaxBytes],
    ['preferredMaxBytes', b.preferredMaxBytes],
  ] as const) {
    if (value > UINT32_MAX)
      problems.push(`orderer.batchSize.${key}: ${value} bytes does not fit Fabric's uint32`);
  }
  if (b.preferredMaxBytes > b.absoluteMaxBytes) {
    problems.push(
      'orderer.batchSize.preferredMaxBytes: must not exceed absoluteMaxBytes (Fabric rejects such a config)',
    );
  }
  return problems;
}

/** One zod issue as `path: message`, with YAML-style paths (`ministries[1].mspId`). */
function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  return `${where || '(top level)'}: ${missing ? 'required' : issue.message}`;
}
