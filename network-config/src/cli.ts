#!/usr/bin/env node
import { generateNetwork, defaultHome } from './generate';
import { defaultMinistriesFile } from './ministries/load';

const USAGE = `usage: node network-config/dist/cli.js generate [--home <dir>] [--ministries <file>] [--force]

  --home        runtime directory (default: $DEVNET_HOME or <repo>/.devnet)
  --ministries  list of ministries (default: network-config/ministries.yaml)
  --force       regenerate even if the existing material matches the list`;

/** Parsed command line of the generator. */
interface CliArgs {
  command: string | undefined;
  home: string;
  ministriesFile: string;
  force: boolean;
}

/**
 * Parses `generate [--home <dir>] [--ministries <file>] [--force]`.
 * @throws Error naming the unknown option or the option missing its value.
 */
export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    command: undefined,
    home: defaultHome(),
    ministriesFile: defaultMinistriesFile(),
    force: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--home') args.home = value();
    else if (arg === '--ministries') args.ministriesFile = value();
    else if (arg === '--force') args.force = true;
    else if (!arg.startsWith('-') && args.command === undefined) args.command = arg;
    else throw new Error(`unknown argument ${arg}`);
  }
  return args;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.command !== 'generate') {
    process.stderr.write(`${args.command ? `unknown command ${args.command}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const started = Date.now();
  const network = await generateNetwork({
    home: args.home,
    ministriesFile: args.ministriesFile,
    force: args.force,
  });
  const reused = network.generatedFrom && Date.parse(network.generatedFrom.generatedAt) < started;
  const orgs = network.organizations.map((o) => o.mspId).join(', ');
  process.stdout.write(
    `${reused ? 'reused' : 'generated'} network in ${network.home} (channel ${network.channel}; ${orgs}) in ${Date.now() - started} ms\n`,
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    },
  );
}
