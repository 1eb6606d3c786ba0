/**
 * Benchmark (issues 10, 11 and 15): egov `ledger:RegisterRecord` against devnet's one-key write (the
 * conformance chaincode's Put), RegisterRecord with ten rules in force for the record type against
 * none, and RegisterRecord of a type under an audit policy (which opens an audit case in the same
 * transaction) against none, at concurrency 1, 10 and 50, on one devnet, as throughput ratios with p50 / p95
 * latency per variant. Prints progress; writes bench/results/ledger-ratio-<time>.json.
 *
 *   npm run build && npx tsc -p bench && GOVFABRIC_BENCH_PORT_OFFSET=33000 node bench/dist/ledger-ratio.js
 *
 * It starts its own devnet in a temporary directory (ports + GOVFABRIC_BENCH_PORT_OFFSET, default
 * 26000), deploys egov and the conformance chaincode, prepares the ledger (ministries registered
 * for governance, two schemas with personal fields, User1's issuer role, a law, an article and
 * ten rules enacted by two of three ministries), measures, and stops it. The three variants run
 * in rounds, in a rotating order, so that machine noise hits each of them alike. BENCH_SCALE
 * (default 1) multiplies the transaction counts, BENCH_ROUNDS (default 5) sets the rounds,
 * BENCH_VARIANTS (default all) names the variants to run, comma-separated.
 *
 * BENCH_BASE_EGOV=<egov chaincode module dir> (built, e.g. an export of main's chaincode/ with its
 * dist/) also deploys that egov as chaincode `egovbase` on the same network, prepares its ledger the
 * same way and adds the variant `registerBase`: its RegisterRecord, in the same rounds, so
 * a change to the chaincode is compared with the code before it on the same peers, under the same load.
 * The directory must resolve fabric-shim and fabric-contract-api from this repo's node_modules (e.g. a
 * folder inside the repo with a link to chaincode/node_modules): devnet starts its servers with this
 * repo's fabric-shim, and a second copy of the libraries made a base server about a third slower.
 *
 * BENCH_NETWORKS_EXTRA=<name>=<network.json>[,...] adds running devnets (e.g. one of main's code, and
 * a twin of it for the noise), each with egov and the conformance chaincode deployed (ports of its
 * own): the bench prepares their ledgers as its own and adds the variants `put:<name>` and
 * `register:<name>` to the same rounds, so a change to devnet itself is compared with other code
 * under the same load; their processes' CPU is reported as groups `<name>/peers` and so on.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Contract } from '@hyperledger/fabric-gateway';
import { cpuSnapshot, networkProcesses } from './cpu';
import { machine, measure, ratio, summarize, type Sample as RoundSample } from './rounds';
import {
  REPO,
  connectAs,
  credentialRecord,
  errorText,
  log,
  round1,
  startBenchDevnet,
  type Conn,
  type Net,
} from './support';

const OFFSET = Number(process.env.GOVFABRIC_BENCH_PORT_OFFSET ?? 26000);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCIES = [1, 10, 50] as const;
/** Transactions per variant per round, by concurrency (small enough for < 6 min on 2 cores). */
const COUNTS: Record<number, number> = { 1: 15, 10: 80, 50: 250 };
const RULES = 10;
const BATCH_TIMEOUT = '100ms';
const MAX_MESSAGE_COUNT = 50;
const PUT_VALUE = 'x'.repeat(100); // as bench/devnet-throughput.ts
/** The endorsers of every measured transaction, so both sides pay for the same two peers. */
const ENDORSERS = ['EducationMSP', 'HealthMSP'];
const PLAIN_TYPE = 'education.credential';
const RULED_TYPE = 'education.credential-ruled';
const AUDITED_TYPE = 'education.credential-audited';
/** The audit policy in force for {@link AUDITED_TYPE}: the integration test's 2 of n, one outside Education. */
const AUDIT_POLICY = { approvals: 2, outsideIssuer: 1, deadlineSeconds: 86_400 };

/** The measured variants: the one-key write, RegisterRecord with no rules, with ten rules, under an audit policy. */
type Variant =
  | 'put'
  | 'register'
  | 'registerTenRules'
  | 'registerAudited'
  | 'registerBase'
  | `put:${string}`
  | `register:${string}`;
/** Another egov chaincode (module directory) to compare with, as chaincode {@link BASE_CHAINCODE}. */
const BASE_EGOV = process.env.BENCH_BASE_EGOV;
const BASE_CHAINCODE = 'egovbase';
/** Other running devnets, by name: BENCH_NETWORKS_EXTRA=<name>=<network.json>,... */
const EXTRA_NETWORKS: { name: string; file: string }[] = (process.env.BENCH_NETWORKS_EXTRA ?? '')
  .split(',')
  .filter(Boolean)
  .map((spec) => {
    const at = spec.indexOf('=');
    if (at <= 0) throw new Error(`BENCH_NETWORKS_EXTRA entry '${spec}': expected <name>=<network.json>`);
    return { name: spec.slice(0, at), file: path.resolve(spec.slice(at + 1)) };
  });
const ALL_VARIANTS: Variant[] = [
  'put',
  'register',
  'registerTenRules',
  'registerAudited',
  ...(BASE_EGOV ? (['registerBase'] as const) : []),
];
const VARIANTS: Variant[] = [
  ...(process.env.BENCH_VARIANTS
    ? ALL_VARIANTS.filter((v) => process.env.BENCH_VARIANTS!.split(',').includes(v))
    : ALL_VARIANTS),
  ...EXTRA_NETWORKS.flatMap((n) => [`put:${n.name}`, `register:${n.name}`] as Variant[]),
];

type Sample = RoundSample<Variant>;

/** CPU-seconds each devnet process spent while one variant ran at one concurrency in one round. */
interface CpuSample {
  variant: Variant;
  concurrency: number;
  transactions: number;
  cpuSeconds: Record<string, number>;
}

/** Process groups of the CPU figures: a label with `@` is a chaincode server (`egov@peer0...`). */
function groupOf(label: string): string {
  const slash = label.indexOf('/');
  if (slash > 0) return `${label.slice(0, slash)}/${groupOf(label.slice(slash + 1))}`;
  if (label.includes('@')) return `${label.slice(0, label.indexOf('@'))} servers`;
  return label.startsWith('orderer') ? 'orderer' : 'peers';
}

/**
 * CPU-ms per committed transaction of each process group (and in all) for a variant at a
 * concurrency, over every round: the CPU the group spent while the variant ran, divided by its
 * transactions.
 */
function cpuPerTransaction(cpu: CpuSample[], variant: Variant, concurrency: number): Record<string, number> {
  const mine = cpu.filter((c) => c.variant === variant && c.concurrency === concurrency);
  const transactions = mine.reduce((n, c) => n + c.transactions, 0);
  const seconds: Record<string, number> = {};
  for (const c of mine) {
    for (const [label, s] of Object.entries(c.cpuSeconds)) {
      seconds[groupOf(label)] = (seconds[groupOf(label)] ?? 0) + s;
      seconds.total = (seconds.total ?? 0) + s;
    }
  }
  return Object.fromEntries(
    Object.entries(seconds).map(([g, s]) => [g, transactions > 0 ? round1((s * 1000) / transactions) : NaN]),
  );
}

/** Parses a transaction's JSON result. */
function json(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

/** The credential schema of gateway/bootstrap/demo.json: public fields and two personal ones. */
function credentialSchema(): string {
  const demo = JSON.parse(fs.readFileSync(path.join(REPO, 'gateway', 'bootstrap', 'demo.json'), 'utf8')) as {
    ministries: Record<
      string,
      { schemas: { recordType: string; schema: unknown; personalFields?: string[] }[] }
    >;
  };
  const found = demo.ministries.EducationMSP.schemas.find((s) => s.recordType === PLAIN_TYPE);
  if (found === undefined) throw new Error(`gateway/bootstrap/demo.json has no ${PLAIN_TYPE} schema`);
  return JSON.stringify({ schema: found.schema, personalFields: found.personalFields });
}

/** Enacts a proposal: Education proposes and approves, Health approves (two of three), Education tallies. */
async function enact(
  edu: Contract,
  health: Contract,
  id: string,
  kind: string,
  content: object,
): Promise<void> {
  await edu.submitTransaction('governance:Propose', JSON.stringify({ id, kind, content }));
  await edu.submitTransaction('governance:Approve', id);
  await health.submitTransaction('governance:Approve', id);
  // Health's approval is committed on Health's peer; Education's may not have it yet: tally again then.
  for (let attempt = 1; ; attempt++) {
    try {
      const tally = json(await edu.submitTransaction('governance:Tally', id)) as { status?: string };
      if (tally.status !== 'ENACTED')
        throw new Error(`proposal ${id} was not enacted: ${JSON.stringify(tally)}`);
      return;
    } catch (err) {
      if (attempt >= 20 || !errorText(err).includes('is still open')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Prepares the ledger as a fresh network needs it: every ministry registered for governance,
 * both record types' schemas (Education then owns the domain), User1 of Education holding
 * `issuer` for G2C/education, and ten rules in force for {@link RULED_TYPE} only.
 */
async function prepareLedger(net: Net, run: string, chaincode = 'egov'): Promise<void> {
  const admins = ['EducationMSP', 'HealthMSP', 'ImmigrationMSP'].map((m) => connectAs(net, m, 'admin'));
  const user = connectAs(net, 'EducationMSP', 'user');
  try {
    const [edu, health] = admins.map((a) => a.contract(chaincode));
    for (const a of admins) await a.contract(chaincode).submitTransaction('governance:RegisterMinistry');
    for (const t of [PLAIN_TYPE, RULED_TYPE, AUDITED_TYPE])
      await edu.submitTransaction('schemas:RegisterSchema', t, credentialSchema());
    const me = json(await user.contract(chaincode).evaluateTransaction('authorities:WhoAmI')) as {
      id: string;
    };
    await edu.submitTransaction(
      'authorities:GrantRole',
      JSON.stringify({ holder: me.id, role: 'issuer', scope: 'G2C/education' }),
    );
    log(`${chaincode}: ministries registered, schemas registered, issuer role granted to EducationMSP User1`);
    const lawId = `BENCH-${run}`;
    const textHash = 'b'.repeat(64);
    await enact(edu, health, `p-${lawId}`, 'law', {
      id: lawId,
      title: 'Bench Act',
      textHash,
      effectiveFrom: '2020-01-01',
    });
    await enact(edu, health, `p-${lawId}-a1`, 'article', {
      lawId,
      id: 'a1',
      title: 'Bench article',
      textHash,
      effectiveFrom: '2020-01-01',
    });
    for (let i = 0; i < RULES; i++) {
      await enact(edu, health, `p-${lawId}-r${i}`, 'rule', {
        id: `${lawId}-r${i}`,
        lawId,
        articleId: 'a1',
        title: `Bench rule ${i}`,
        textHash,
        appliesTo: [`G2C/${RULED_TYPE}`],
        // Every benchmark record passes every rule, so each is evaluated in full.
        condition: {
          and: [{ '>=': [{ var: 'payload.year' }, 2000 + i] }, { '==': [{ var: 'payload.honours' }, true] }],
        },
        effectiveFrom: '2020-01-01',
      });
    }
    await enact(edu, health, `p-${lawId}-audit`, 'rule', {
      id: `${lawId}-audit`,
      lawId,
      articleId: 'a1',
      title: 'Bench audit policy',
      textHash,
      appliesTo: [`G2C/${AUDITED_TYPE}`],
      audit: AUDIT_POLICY,
      effectiveFrom: '2020-01-01',
    });
    log(`law, article, ${RULES} rules for ${RULED_TYPE} and an audit policy for ${AUDITED_TYPE} enacted`);
  } finally {
    for (const c of [...admins, user]) c.close();
  }
}

let recordCounter = 0;

/** Submits one realistic record: public fields in the argument, personal fields in the transient map. */
async function registerRecord(contract: Contract, recordType: string, run: string): Promise<string> {
  recordCounter += 1;
  const id = `BENCH-${run}-${recordCounter.toString().padStart(6, '0')}`;
  const record = credentialRecord(
    id,
    `psn:${crypto.createHash('sha256').update(id).digest('hex').slice(0, 32)}`,
    recordType,
  );
  const personal = { fullName: 'Ana Lima', birthDate: '2001-04-09' };
  await contract.submit('ledger:RegisterRecord', {
    arguments: [JSON.stringify(record)],
    // hash scheme 2: a fresh 256-bit salt per record, as the HTTP gateway draws it
    transientData: { personal: JSON.stringify(personal), salt: crypto.randomBytes(32) },
    // Fabric's gateway lets only the collection's members endorse transient data unless the client
    // names the organizations; MAJORITY needs two, chosen as the HTTP gateway does (endorsers.ts).
    endorsingOrganizations: ENDORSERS,
  });
  return id;
}

/** Checks that the variants do what they claim: the ruled record cites ten rules, the plain one none. */
async function checkLegalBasis(reader: Contract, plainId: string, ruledId: string): Promise<void> {
  const basis = async (id: string) =>
    (
      (json(await reader.evaluateTransaction('ledger:GetRecord', id)) as { legalBasis?: unknown[] })
        .legalBasis ?? []
    ).length;
  const [plain, ruled] = [await basis(plainId), await basis(ruledId)];
  if (plain !== 0 || ruled !== RULES)
    throw new Error(
      `legal basis: ${plain} rules on ${plainId} (want 0), ${ruled} on ${ruledId} (want ${RULES})`,
    );
  log(`checked: a ${RULED_TYPE} record cites ${ruled} rules as its legal basis, a ${PLAIN_TYPE} record none`);
}

/** Checks that the audited variant does what it claims: the record waits for its audit case. */
async function checkAudited(reader: Contract, id: string): Promise<void> {
  const record = json(await reader.evaluateTransaction('ledger:GetRecord', id)) as {
    status?: string;
    auditCaseId?: string;
  };
  if (record.status !== 'PENDING_AUDIT' || record.auditCaseId === undefined)
    throw new Error(`${id} is ${record.status} without an audit case; the audit policy did not apply`);
  log(
    `checked: a ${AUDITED_TYPE} record is PENDING_AUDIT with audit case ${record.auditCaseId.slice(0, 12)}...`,
  );
}

async function main(): Promise<void> {
  const benchStarted = Date.now();
  const loadAtStart = os.loadavg().map(round1);
  const bench = startBenchDevnet(OFFSET, { batchTimeout: BATCH_TIMEOUT, maxMessageCount: MAX_MESSAGE_COUNT });
  let user: Conn | undefined;
  const extraConns: Conn[] = [];
  try {
    bench.cli('deploy');
    bench.cli('deploy', 'conformance', path.join(REPO, 'test', 'fixtures', 'conformance-cc'), '100');
    if (BASE_EGOV) {
      // the same collections as egov's own (network.json's collections config for the network's chaincode)
      const collections = bench.net().collectionsConfigPath;
      bench.cli(
        'deploy',
        BASE_CHAINCODE,
        path.resolve(BASE_EGOV),
        '200',
        ...(collections ? ['--collections-config', collections] : []),
      );
    }
    log(`egov, conformance${BASE_EGOV ? ` and ${BASE_CHAINCODE} (${BASE_EGOV})` : ''} deployed`);
    const net = bench.net();
    const run = Date.now().toString(36);
    await prepareLedger(net, run);
    if (BASE_EGOV) await prepareLedger(net, run, BASE_CHAINCODE);
    const extra = EXTRA_NETWORKS.map((n) => {
      const other = JSON.parse(fs.readFileSync(n.file, 'utf8')) as Net & { home?: string };
      return { ...n, net: other, home: other.home ?? path.dirname(n.file) };
    });
    for (const n of extra) {
      await prepareLedger(n.net, run);
      log(`${n.name} (${n.file}): ledger prepared`);
    }
    const extraUsers = extra.map((n) => connectAs(n.net, 'EducationMSP', 'user'));
    extraConns.push(...extraUsers);
    // Every variant goes through the same gateway peer (Education's, the issuer's) as the same User1.
    user = connectAs(net, 'EducationMSP', 'user');
    const egov = user.contract('egov');
    const conformance = user.contract('conformance');
    const egovBase = user.contract(BASE_CHAINCODE);
    let puts = 0;
    const ops: Record<Variant, () => Promise<unknown>> = {
      put: () =>
        conformance.submit('Put', {
          arguments: [`bench-${run}-${++puts}`, PUT_VALUE],
          endorsingOrganizations: ENDORSERS,
        }),
      register: () => registerRecord(egov, PLAIN_TYPE, run),
      registerTenRules: () => registerRecord(egov, RULED_TYPE, run),
      registerAudited: () => registerRecord(egov, AUDITED_TYPE, run),
      registerBase: () => registerRecord(egovBase, PLAIN_TYPE, run),
    };
    extra.forEach((n, i) => {
      const c = extraUsers[i];
      let extraPuts = 0;
      ops[`put:${n.name}`] = () =>
        c.contract('conformance').submit('Put', {
          arguments: [`bench-${run}-${n.name}-${++extraPuts}`, PUT_VALUE],
          endorsingOrganizations: ENDORSERS,
        });
      ops[`register:${n.name}`] = () => registerRecord(c.contract('egov'), PLAIN_TYPE, run);
    });
    // Warm-up: connects every chaincode server and checks the setup.
    await ops.put();
    await checkLegalBasis(
      egov,
      await registerRecord(egov, PLAIN_TYPE, run),
      await registerRecord(egov, RULED_TYPE, run),
    );
    await checkAudited(egov, await registerRecord(egov, AUDITED_TYPE, run));
    if (BASE_EGOV) await registerRecord(egovBase, PLAIN_TYPE, run);
    for (const [i, n] of extra.entries()) {
      const theirEgov = extraUsers[i].contract('egov');
      await ops[`put:${n.name}`]();
      await checkLegalBasis(
        theirEgov,
        (await ops[`register:${n.name}`]()) as string,
        await registerRecord(theirEgov, RULED_TYPE, run),
      );
    }
    const samples: Sample[] = [];
    const cpu: CpuSample[] = [];
    // the orderer, the peers and the chaincode servers (`<chaincode>@<peer>`), not the CAs
    const processes = networkProcesses(bench.home, (l) => /^(orderer|peer)/.test(l) || l.includes('@'));
    for (const n of extra)
      for (const [label, pid] of networkProcesses(
        n.home,
        (l) => /^(orderer|peer)/.test(l) || l.includes('@'),
      ))
        processes.set(`${n.name}/${label}`, pid);
    for (let r = 1; r <= ROUNDS; r++) {
      log(`round ${r} of ${ROUNDS}`);
      for (const c of CONCURRENCIES) {
        // Rotate the order per round and concurrency so no variant always runs first.
        const shift = (r + c) % VARIANTS.length;
        const order = [...VARIANTS.slice(shift), ...VARIANTS.slice(0, shift)];
        for (const v of order) {
          const before = cpuSnapshot(processes);
          const sample = await measure(v, c, r, Math.max(1, Math.round(COUNTS[c] * SCALE)), ops[v]);
          const after = cpuSnapshot(processes);
          const cpuSeconds = Object.fromEntries(
            [...after].map(([label, s]) => [label, Math.round((s - (before.get(label) ?? s)) * 1000) / 1000]),
          );
          cpu.push({ variant: v, concurrency: c, transactions: sample.transactions, cpuSeconds });
          samples.push(sample);
        }
      }
    }
    const summaries = CONCURRENCIES.flatMap((c) =>
      VARIANTS.map((v) => ({
        ...summarize(samples, v, c),
        cpuMsPerTransaction: cpuPerTransaction(cpu, v, c),
      })),
    );
    const has = (...vs: Variant[]) => vs.every((v) => VARIANTS.includes(v));
    const ratios = CONCURRENCIES.map((c) => ({
      concurrency: c,
      ...(has('register', 'put') ? { registerVsPut: ratio(samples, 'register', 'put', c) } : {}),
      ...(has('registerTenRules', 'register')
        ? { tenRulesVsNone: ratio(samples, 'registerTenRules', 'register', c) }
        : {}),
      ...(has('registerAudited', 'register')
        ? { auditedVsNone: ratio(samples, 'registerAudited', 'register', c) }
        : {}),
      ...(has('registerBase', 'put') ? { baseVsPut: ratio(samples, 'registerBase', 'put', c) } : {}),
      ...(has('register', 'registerBase')
        ? { registerVsBase: ratio(samples, 'register', 'registerBase', c) }
        : {}),
      ...Object.fromEntries(
        EXTRA_NETWORKS.map((n) => [
          n.name,
          {
            registerVsPut: ratio(samples, `register:${n.name}`, `put:${n.name}`, c),
            ...(has('register')
              ? { registerVsTheirs: ratio(samples, 'register', `register:${n.name}`, c) }
              : {}),
            ...(has('put') ? { putVsTheirs: ratio(samples, 'put', `put:${n.name}`, c) } : {}),
          },
        ]),
      ),
    }));
    const result = {
      benchmark: 'ledger-ratio',
      date: new Date().toISOString(),
      minutes: round1((Date.now() - benchStarted) / 60000),
      machine: { ...machine(), loadAverageAtStart: loadAtStart },
      settings: {
        batchTimeout: BATCH_TIMEOUT,
        maxMessageCount: MAX_MESSAGE_COUNT,
        organizations: 3,
        rounds: ROUNDS,
        transactionsPerVariantPerRound: Object.fromEntries(
          CONCURRENCIES.map((c) => [c, Math.max(1, Math.round(COUNTS[c] * SCALE))]),
        ),
        endorsementPolicy:
          'MAJORITY Endorsement; every measured transaction names its endorsers: EducationMSP and HealthMSP (fabric-gateway endorsingOrganizations, needed for transient data)',
        client:
          '@hyperledger/fabric-gateway, one connection to peer0.education as its User1 (submit = endorse + Broadcast + CommitStatus)',
        put: `conformance chaincode Put of a ${PUT_VALUE.length}-byte value`,
        register: `egov ledger:RegisterRecord of an ${PLAIN_TYPE} (demo schema, ajv; personal fullName + birthDate in the transient map, to the implicit collection)`,
        registerTenRules: `the same on ${RULED_TYPE}, with ${RULES} JSON Logic rules in force for the type (all pass; legalBasis cites all ten)`,
        registerAudited: `the same on ${AUDITED_TYPE}, under the audit policy ${JSON.stringify(AUDIT_POLICY)}: the record is PENDING_AUDIT and its audit case opens in the same transaction`,
        ...(BASE_EGOV
          ? { registerBase: `the same as register on chaincode ${BASE_CHAINCODE}, from ${BASE_EGOV}` }
          : {}),
        variants: VARIANTS,
        ...(EXTRA_NETWORKS.length > 0 ? { extraNetworks: EXTRA_NETWORKS } : {}),
      },
      summaries,
      ratios,
      samples: samples.map(({ latenciesMs: _omit, ...s }) => s),
      cpu,
    };
    for (const r of ratios) {
      log(
        `c=${r.concurrency}: RegisterRecord / Put = ${r.registerVsPut?.ofMedians}; ten rules / none = ${r.tenRulesVsNone?.ofMedians}; audited / none = ${r.auditedVsNone?.ofMedians}; base / Put = ${r.baseVsPut?.ofMedians}; RegisterRecord / base = ${r.registerVsBase?.ofMedians}`,
      );
      for (const n of EXTRA_NETWORKS) {
        const x = (r as unknown as Record<string, Record<string, { ofMedians: number } | undefined>>)[n.name];
        log(
          `c=${r.concurrency} ${n.name}: its RegisterRecord / its Put = ${x.registerVsPut?.ofMedians}; RegisterRecord here / there = ${x.registerVsTheirs?.ofMedians}; Put here / there = ${x.putVsTheirs?.ofMedians}`,
        );
      }
    }
    for (const s of summaries)
      log(
        `${s.variant} c=${s.concurrency}: median ${s.medianTps} tx/s, p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, ${s.failed} failed; CPU-ms/tx ${JSON.stringify(s.cpuMsPerTransaction)}`,
      );
    const dir = path.join(REPO, 'bench', 'results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `ledger-ratio-${result.date.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`results written to ${path.relative(REPO, file)} (${result.minutes} min)`);
  } finally {
    user?.close();
    for (const c of extraConns) c.close();
    bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${errorText(err)}\n${err.stack ?? ''}` : err);
  process.exitCode = 1;
});
