#!/usr/bin/env node
import * as path from 'node:path';
import { defaultMinistriesFile } from '../ministries/load';
import { generateFabricNetwork, writeFabricConnectionProfiles, type FabricGenerateOptions } from './generate';
import { DEFAULT_ORDERER_COUNT, DEFAULT_SUBNET } from './plan';

const USAGE = `usage: node network-config/dist/fabric/cli.js --out <dir> [options]
       node network-config/dist/fabric/cli.js connection-profiles --out <dir>

Writes what a real Hyperledger Fabric network of the ministries needs: configtx.yaml, crypto-config.yaml,
env/<node>.env, nodes.list, network.json and profiles/. After cryptogen, \`connection-profiles\` adds the
common connection profiles (profiles/connection-<ministry>.json and .yaml, TLS CA certificates inline).

  --out <dir>             output folder (crypto material is expected in <dir>/crypto)
  --ministries <file>     list of ministries (default: network-config/ministries.yaml)
  --addressing <kind>     native: one host per node in a private /24 (default)
                          dns: nodes reached by name (Docker, Kubernetes), clients on --client-host
  --subnet <a.b.c>        native: the /24 (default ${DEFAULT_SUBNET})
  --client-host <host>    dns: where clients reach the published ports (default 127.0.0.1)
  --orderers <n>          Raft consenters (default ${DEFAULT_ORDERER_COUNT})
  --ccaas-builder <dir>   native: the ccaas external builder folder (holding bin/detect, build, release)
  --data <dir>            native: the nodes' ledgers (default <out>/data)`;

/**
 * Parses the command line into generator options.
 * @throws Error naming the unknown option, the option missing its value, or a bad value.
 */
export function parseFabricArgs(argv: string[]): FabricGenerateOptions {
  const v: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const known = [
      '--out',
      '--ministries',
      '--addressing',
      '--subnet',
      '--client-host',
      '--orderers',
      '--ccaas-builder',
      '--data',
    ];
    if (!known.includes(arg)) throw new Error(`unknown argument ${arg}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${arg} needs a value`);
    v[arg.slice(2)] = value;
  }
  if (v.out === undefined) throw new Error('--out is required');
  const kind = v.addressing ?? 'native';
  if (kind !== 'native' && kind !== 'dns') throw new Error(`--addressing ${kind}: expected native or dns`);
  const orderers = v.orderers === undefined ? DEFAULT_ORDERER_COUNT : Number(v.orderers);
  return {
    out: v.out,
    ministriesFile: v.ministries ?? defaultMinistriesFile(),
    addressing:
      kind === 'native'
        ? { kind, subnet: v.subnet ?? DEFAULT_SUBNET }
        : { kind, clientHost: v['client-host'] ?? '127.0.0.1' },
    ordererCount: orderers,
    nodeFiles: {
      ...(v['ccaas-builder'] ? { ccaasBuilderDir: v['ccaas-builder'] } : {}),
      ...(v.data ? { dataDir: v.data } : {}),
    },
  };
}

/** Runs the CLI; resolves to the process exit code. */
export function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (argv[0] === 'connection-profiles') {
    if (argv.length !== 3 || argv[1] !== '--out') {
      process.stderr.write(`connection-profiles takes --out <dir> only\n${USAGE}\n`);
      return 2;
    }
    const written = writeFabricConnectionProfiles(argv[2]);
    process.stdout.write(
      `wrote ${written.length} connection profiles in ${path.dirname(written[0] ?? argv[2])}\n`,
    );
    return 0;
  }
  let options: FabricGenerateOptions;
  try {
    options = parseFabricArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const written = generateFabricNetwork(options);
  const n = written.network;
  process.stdout.write(
    `generated Fabric network files in ${n.home} (channel ${n.channel}; ${n.fabric.orderers.length} orderers; ${n.organizations.map((o) => o.mspId).join(', ')})\n`,
  );
  return 0;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
