/**
 * Benchmark (issue 22): Hyperledger Caliper 0.6.0 with its `fabric:fabric-gateway` binding (which
 * pins @hyperledger/fabric-gateway 1.5.0 and @grpc/grpc-js 1.10.3) against a devnet of its own:
 * bench/caliper/benchconfig.yaml (the one-key write and egov's logged verification at 100 TPS,
 * VerifyHash at 200 TPS), EducationMSP's User1 through the generated
 * `profiles/connection-education.yaml`.
 *
 *   npm run bench:caliper
 *   CALIPER_RATE_SCALE=0.2 CALIPER_DURATION_S=20 npm run bench:caliper   # a trial on a busy machine
 *
 * Caliper is installed on first use from bench/caliper/package-lock.json into CALIPER_HOME (default
 * ~/.cache/govfabric/caliper-0.6.0), outside the repository: its Fabric connector picks the SDK
 * by which package resolves, and the workspaces' own fabric-network / fabric-gateway must not be
 * found. The records the verification rounds read are registered first with the workspaces'
 * fabric-gateway, naming their endorsers (Caliper's peer Gateway connector cannot: see
 * bench/caliper/README.md). Writes Caliper's report.html, the run's log and a summary under
 * bench/results/caliper-<time>/. Devnet ports + GOVFABRIC_BENCH_PORT_OFFSET (default 55000).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadTransientEndorsers } from '@govfabric/gateway';
import { REPO, connectAs, credentialRecord, log, startBenchDevnet, type BenchDevnet } from './support';
import { caliperSummary, type RoundAsked } from './caliper-summary';

const OFFSET = Number(process.env.GOVFABRIC_BENCH_PORT_OFFSET ?? 55000);
/** Multiplies every round's rate (at least 1 TPS); 1 gives the figures of record's rates. */
const RATE_SCALE = Number(process.env.CALIPER_RATE_SCALE ?? 1);
/** Every round's length in seconds; unset keeps benchconfig.yaml's. */
const DURATION_S = process.env.CALIPER_DURATION_S;
/** Records registered for the verification rounds. */
const SEED_RECORDS = Number(process.env.CALIPER_SEED_RECORDS ?? 200);
const SEED_IN_FLIGHT = 8;
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

/** benchconfig.yaml with its rates times RATE_SCALE and its rounds DURATION_S long (when set). */
function scaledBenchConfig(text: string): string {
  const scaled = text.replace(/tps: (\d+)/g, (_m, tps: string) => `tps: ${scaleRate(Number(tps))}`);
  return DURATION_S === undefined ? scaled : scaled.replace(/txDuration: \d+/g, `txDuration: ${DURATION_S}`);
}

const scaleRate = (tps: number): number => Math.max(1, Math.round(tps * RATE_SCALE));

/** Each round's label and fixed rate, in order, from a benchconfig.yaml. */
function roundsAsked(config: string): RoundAsked[] {
  const labels = [...config.matchAll(/- label: (\S+)/g)].map((m) => m[1]);
  const rates = [...config.matchAll(/tps: (\d+)/g)].map((m) => Number(m[1]));
  return labels.map((label, i) => ({ label, tps: rates[i] }));
}

/** The seeded records: what the verification rounds read. */
interface Seeded {
  id: string;
  hash: string;
}

/**
 * Registers `count` education.credential records as `ORG`'s User1 (the issuer) with
 * fabric-gateway, naming the endorsers as the HTTP gateway does (the salt travels as transient
 * data, into the issuer's implicit collection); checks one with VerifyHash.
 */
async function seedRecords(bench: BenchDevnet, count: number): Promise<Seeded[]> {
  const conn = connectAs(bench.net(), ORG, 'user');
  const endorsers = loadTransientEndorsers(ORG, undefined, path.join(bench.home, 'profiles', `${ORG}.json`));
  const ledger = conn.contract('egov');
  const seeded: Seeded[] = [];
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started < count) {
      const id = `CAL-${process.pid}-${String(++started).padStart(6, '0')}`;
      const result = await ledger.submit('ledger:RegisterRecord', {
        arguments: [JSON.stringify(credentialRecord(id, `psn:caliper-${id.toLowerCase()}`))],
        transientData: { salt: randomBytes(32) },
        endorsingOrganizations: endorsers,
      });
      seeded.push({ id, hash: (JSON.parse(Buffer.from(result).toString('utf8')) as { hash: string }).hash });
    }
  };
  try {
    await Promise.all(Array.from({ length: SEED_IN_FLIGHT }, lane));
    const check = JSON.parse(
      Buffer.from(await ledger.evaluateTransaction('ledger:VerifyHash', seeded[0].hash)).toString('utf8'),
    ) as { found?: boolean };
    if (check.found !== true) throw new Error(`VerifyHash does not find seeded record ${seeded[0].id}`);
    return seeded;
  } finally {
    conn.close();
  }
}

/** Deploys egov and the conformance chaincode and runs the demo bootstrap on the bench devnet. */
function prepareDevnet(bench: BenchDevnet): void {
  log('deploying egov and the conformance chaincode, then the demo bootstrap ...');
  bench.cli('deploy');
  bench.cli('deploy', 'conformance', path.join(REPO, 'test', 'fixtures', 'conformance-cc'), '100');
  run(process.execPath, [path.join(REPO, 'gateway', 'dist', 'bootstrap.js')], REPO, {
    ...process.env,
    DEVNET_HOME: bench.home,
  });
}

/** `caliper launch manager` on `workspace`; its exit status and everything it printed. */
function launchCaliper(workspace: string, reportPath: string): { status: number | null; text: string } {
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
      reportPath,
    ],
    { cwd: workspace, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  return { status: r.status, text: r.stdout + r.stderr };
}

async function main(): Promise<void> {
  installCaliper();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = path.join(REPO, 'bench', 'results', `caliper-${stamp}`);
  const workspace = path.join(HOME, `run-${stamp}`);
  fs.mkdirSync(out, { recursive: true });
  // The workloads resolve @hyperledger/caliper-core from where they are: inside CALIPER_HOME.
  fs.cpSync(SOURCE, workspace, { recursive: true, filter: (f) => !f.includes('node_modules') });
  const config = scaledBenchConfig(fs.readFileSync(path.join(SOURCE, 'benchconfig.yaml'), 'utf8'));
  fs.writeFileSync(path.join(workspace, 'benchconfig.yaml'), config);
  const load = os.loadavg()[0];
  const bench = startBenchDevnet(OFFSET, { batchTimeout: '100ms', maxMessageCount: 50 });
  try {
    prepareDevnet(bench);
    log(`registering ${SEED_RECORDS} records for the verification rounds ...`);
    const seeded = await seedRecords(bench, SEED_RECORDS);
    fs.writeFileSync(path.join(workspace, 'seeded-records.json'), JSON.stringify(seeded));
    fs.writeFileSync(path.join(workspace, 'networkconfig.yaml'), networkConfig(bench.home));
    log(`caliper launch manager (rates x${RATE_SCALE}) ...`);
    const { status, text } = launchCaliper(workspace, path.join(out, 'report.html'));
    fs.writeFileSync(path.join(out, 'caliper.log'), text);
    const summary = caliperSummary(text, roundsAsked(config), { before: load, after: os.loadavg()[0] });
    fs.writeFileSync(path.join(out, 'summary.md'), summary.markdown);
    console.log(`\n${summary.markdown}`);
    log(`Caliper exited ${status}; report, log and summary in ${out}`);
    if (status !== 0 || !summary.complete) process.exitCode = 1;
  } finally {
    bench.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
