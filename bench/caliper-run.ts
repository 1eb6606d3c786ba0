/**
 * Benchmark (issue 22): Hyperledger Caliper 0.6.0 with its `fabric:fabric-gateway` binding (which
 * pins @hyperledger/fabric-gateway 1.5.0 and @grpc/grpc-js 1.10.3) against a devnet of its own:
 * bench/caliper/benchconfig.yaml (one-key write and RegisterRecord at 100 TPS, VerifyHash at 200
 * TPS), EducationMSP's User1 through the generated `profiles/connection-education.yaml`.
 *
 *   npm run bench:caliper
 *
 * Caliper is installed on first use from bench/caliper/package-lock.json into CALIPER_HOME (default
 * ~/.cache/govfabric/caliper-0.6.0), outside the repository: its Fabric connector picks the SDK
 * by which package resolves, and the workspaces' own fabric-network / fabric-gateway must not be
 * found. Writes Caliper's report.html and the run's log under bench/results/caliper-<time>/.
 * Devnet ports + GOVFABRIC_BENCH_PORT_OFFSET (default 27500).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, log, startBenchDevnet } from './support';

const OFFSET = Number(process.env.GOVFABRIC_BENCH_PORT_OFFSET ?? 27500);
const SOURCE = path.join(REPO, 'bench', 'caliper');
const HOME = process.env.CALIPER_HOME ?? path.join(os.homedir(), '.cache', 'govfabric', 'caliper-0.6.0');
const CALIPER = path.join(HOME, 'node_modules', '.bin', 'caliper');
const ORG = 'EducationMSP';

/** Runs a command; throws with its output when it fails. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

function versionOf(pkg: string): string {
  const file = path.join(HOME, 'node_modules', ...pkg.split('/'), 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/** Installs Caliper (npm ci from the committed lock) and binds it to fabric:fabric-gateway, once. */
function installCaliper(): void {
  if (!fs.existsSync(CALIPER)) {
    log(`installing Caliper 0.6.0 into ${HOME} ...`);
    fs.mkdirSync(HOME, { recursive: true });
    for (const f of ['package.json', 'package-lock.json'])
      fs.copyFileSync(path.join(SOURCE, f), path.join(HOME, f));
    run('npm', ['ci', '--no-audit', '--no-fund'], HOME);
  }
  if (!fs.existsSync(path.join(HOME, 'node_modules', '@hyperledger', 'fabric-gateway'))) {
    log('caliper bind --caliper-bind-sut fabric:fabric-gateway ...');
    run(CALIPER, ['bind', '--caliper-bind-sut', 'fabric:fabric-gateway'], HOME);
  }
  log(
    `Caliper ${versionOf('@hyperledger/caliper-cli')}, bound: @hyperledger/fabric-gateway ${versionOf(
      '@hyperledger/fabric-gateway',
    )}, @grpc/grpc-js ${versionOf('@grpc/grpc-js')}`,
  );
}

/** Caliper's network configuration (v2.0.0) for `ORG`'s User1 on the devnet in `home`. */
function networkConfig(home: string): string {
  const net = JSON.parse(fs.readFileSync(path.join(home, 'network.json'), 'utf8')) as {
    channel: string;
    organizations: { mspId: string; name: string; user: { certPath: string; keyPath: string } }[];
  };
  const org = net.organizations.find((o) => o.mspId === ORG);
  if (!org) throw new Error(`the bench devnet has no ${ORG}`);
  return `name: govfabric-devnet
version: "2.0.0"
caliper:
  blockchain: fabric
channels:
  - channelName: ${net.channel}
    contracts:
      - id: egov
      - id: conformance
organizations:
  - mspid: ${org.mspId}
    identities:
      certificates:
        - name: User1
          clientPrivateKey: { path: ${JSON.stringify(org.user.keyPath)} }
          clientSignedCert: { path: ${JSON.stringify(org.user.certPath)} }
    connectionProfile:
      path: ${JSON.stringify(path.join(home, 'profiles', `connection-${org.name.toLowerCase()}.yaml`))}
      discover: false
`;
}

function main(): void {
  installCaliper();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = path.join(REPO, 'bench', 'results', `caliper-${stamp}`);
  const workspace = path.join(HOME, `run-${stamp}`);
  fs.mkdirSync(out, { recursive: true });
  // The workloads resolve @hyperledger/caliper-core from where they are: inside CALIPER_HOME.
  fs.cpSync(SOURCE, workspace, { recursive: true, filter: (f) => !f.includes('node_modules') });
  const bench = startBenchDevnet(OFFSET, { batchTimeout: '100ms', maxMessageCount: 50 });
  try {
    log('deploying egov and the conformance chaincode, then the demo bootstrap ...');
    bench.cli('deploy');
    bench.cli('deploy', 'conformance', path.join(REPO, 'test', 'fixtures', 'conformance-cc'), '100');
    run(process.execPath, [path.join(REPO, 'gateway', 'dist', 'bootstrap.js')], REPO, {
      ...process.env,
      DEVNET_HOME: bench.home,
    });
    fs.writeFileSync(path.join(workspace, 'networkconfig.yaml'), networkConfig(bench.home));
    log('caliper launch manager ...');
    const r = spawnSync(
      CALIPER,
      [
        'launch',
        'manager',
        '--caliper-workspace',
        workspace,
        '--caliper-networkconfig',
        'networkconfig.yaml',
        '--caliper-benchconfig',
        'benchconfig.yaml',
        '--caliper-flow-only-test',
        '--caliper-report-path',
        path.join(out, 'report.html'),
      ],
      { cwd: workspace, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    const text = r.stdout + r.stderr;
    fs.writeFileSync(path.join(out, 'caliper.log'), text);
    // Caliper's summary table, as it prints it.
    const summary = text.match(/\| Name[\s\S]*?\n(?=[^|+])/g)?.pop() ?? '';
    fs.writeFileSync(path.join(out, 'summary.txt'), summary);
    console.log(summary);
    log(`Caliper exited ${r.status}; report, log and summary in ${out}`);
    if (r.status !== 0) process.exitCode = 1;
  } finally {
    bench.stop();
  }
}

main();
