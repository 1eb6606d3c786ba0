/**
 * Benchmark (issue 20): currency transfers against devnet's one-key write (the conformance
 * chaincode's Put of a new key), at concurrency 1, 10 and 50, on one devnet with the central
 * bank, as throughput ratios with p50 / p95 latency per variant:
 * - `put`: the one-key write (MAJORITY: three of the four peers endorse);
 * - `transfer`: `token:Transfer` between public accounts (officers' accounts: each sender is its own
 *   identity; inputs are the sender's unspent outputs, read by range; MAJORITY);
 * - `privateTransfer`: `token:PrivateTransfer` between citizens' accounts of Education, the
 *   instruction in the transient map, endorsed by Education's peer alone (the collection's policy).
 * Every in-flight transfer has its own sender and its own receiver, and no receiver sends: a
 * sender's range read of its outputs is not phantom-read by a concurrent payment into it.
 * Prints progress; writes bench/results/currency-ratio-<time>.json.
 *
 *   npm run bench:currency          (GOVFABRIC_BENCH_PORT_OFFSET, default 27000; BENCH_ROUNDS, default 3;
 *                                    BENCH_SCALE, default 1; BENCH_VARIANTS, default all)
 *
 * It starts its own devnet in a temporary directory, deploys egov (with the account collections)
 * and the conformance chaincode, enacts a supply policy, funds the senders, measures in rounds
 * (variants in a rotating order, so machine noise hits each alike) and stops it.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Contract } from '@hyperledger/fabric-gateway';
import { depositCommitment } from '@govfabric/gateway/dist/documents/commitment';
import { officerAccountId } from 'egov/dist/model/token';
import { machine, measure, ratio, summarize, type Sample } from './rounds';
import { REPO, connectAs, errorText, log, round1, startBenchDevnet, type Conn, type Net } from './support';

const OFFSET = Number(process.env.GOVFABRIC_BENCH_PORT_OFFSET ?? 27000);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCIES = [1, 10, 50] as const;
/** Transactions per variant per round, by concurrency (small enough for minutes on 2 loaded cores). */
const COUNTS: Record<number, number> = { 1: 10, 10: 60, 50: 150 };
const BATCH_TIMEOUT = '100ms';
const MAX_MESSAGE_COUNT = 50;
const PUT_VALUE = 'x'.repeat(100); // as bench/devnet-throughput.ts
/** Senders: at least the highest concurrency, a power of two (funded by doubling). */
const SENDERS = 64;
/** Minor units each sender starts with: every measured transfer moves 1. */
const SENDER_FUNDS = 100_000;
const EDU = 'EducationMSP';
const CB = 'CentralBankMSP';
const POLICY = { code: 'KHR', minorUnits: 2, maxSupply: '1000000000000' };

type Variant = 'put' | 'transfer' | 'privateTransfer';
const ALL_VARIANTS: Variant[] = ['put', 'transfer', 'privateTransfer'];
const VARIANTS: Variant[] = process.env.BENCH_VARIANTS
  ? ALL_VARIANTS.filter((v) => process.env.BENCH_VARIANTS!.split(',').includes(v))
  : ALL_VARIANTS;

/** Parses a transaction's JSON result. */
const json = (bytes: Uint8Array): any => JSON.parse(Buffer.from(bytes).toString('utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

/** Submits and fails unless the transaction commits VALID. */
async function commit(
  contract: Contract,
  name: string,
  options: {
    arguments?: string[];
    transientData?: Record<string, Uint8Array>;
    endorsingOrganizations?: string[];
  },
): Promise<void> {
  const submitted = await contract.submitAsync(name, options);
  const status = await submitted.getStatus();
  if (!status.successful)
    throw new Error(`${name} ${submitted.getTransactionId()} committed as code ${status.code}`);
}

/** The currency's supply policy, enacted by three of the four organizations' admins. */
async function enactPolicy(net: Net, run: string): Promise<void> {
  const orgs = [CB, EDU, 'HealthMSP', 'ImmigrationMSP'];
  const admins = orgs.map((m) => connectAs(net, m, 'admin'));
  try {
    const egov = admins.map((a) => a.contract('egov'));
    await Promise.all(egov.map((c) => c.submitTransaction('governance:RegisterMinistry')));
    const id = `bench-currency-${run}`;
    await egov[0].submitTransaction(
      'governance:Propose',
      JSON.stringify({ id, kind: 'setting', content: { name: 'currency', value: POLICY } }),
    );
    for (const c of egov.slice(0, 3)) await c.submitTransaction('governance:Approve', id);
    const tally = json(await egov[0].submitTransaction('governance:Tally', id));
    if (tally.status !== 'ENACTED')
      throw new Error(`the supply policy was not enacted: ${JSON.stringify(tally)}`);
  } finally {
    for (const a of admins) a.close();
  }
}

/**
 * Funds `holders.length` (a power of two) holders from the first by doubling: in each round every
 * funded holder gives half of its money to a new one, all in parallel (distinct senders and receivers).
 */
async function fundByDoubling(
  holders: string[],
  total: number,
  send: (from: number, to: number, amount: string) => Promise<void>,
): Promise<void> {
  for (let width = 1; width < holders.length; width *= 2) {
    const half = String(total / (2 * width));
    await Promise.all(Array.from({ length: width }, (_, i) => send(i, i + width, half)));
  }
}

async function main(): Promise<void> {
  const benchStarted = Date.now();
  const loadAtStart = os.loadavg().map(round1);
  const bench = startBenchDevnet(
    OFFSET,
    { batchTimeout: BATCH_TIMEOUT, maxMessageCount: MAX_MESSAGE_COUNT },
    { centralBank: true, educationUsers: SENDERS },
  );
  const conns: Conn[] = [];
  try {
    bench.cli('deploy');
    bench.cli('deploy', 'conformance', path.join(REPO, 'test', 'fixtures', 'conformance-cc'), '100');
    log('egov (with the account collections) and conformance deployed');
    const net = bench.net();
    const run = Date.now().toString(36);
    await enactPolicy(net, run);
    const bank = connectAs(net, CB, 'admin');
    const teller = connectAs(net, EDU, 'admin');
    conns.push(bank, teller);
    const total = SENDERS * SENDER_FUNDS;
    await commit(bank.contract('egov'), 'token:Mint', { arguments: [String(3 * total), '', 'bench'] });

    // Public senders: Education's User1..User64, each operating its own officer account.
    const education = net.organizations.find((o) => o.mspId === EDU)!;
    const officers = education.users.slice(0, SENDERS).map((files) => connectAs(net, EDU, files));
    conns.push(...officers);
    const officerAccounts = await Promise.all(
      officers.map(async (o) =>
        officerAccountId(EDU, json(await o.contract('egov').evaluateTransaction('authorities:WhoAmI')).id),
      ),
    );
    await commit(bank.contract('egov'), 'token:Transfer', {
      arguments: [`treasury:${CB}`, officerAccounts[0], String(total), 'bench senders'],
    });
    await fundByDoubling(officerAccounts, total, (from, to, amount) =>
      commit(officers[from].contract('egov'), 'token:Transfer', {
        arguments: [officerAccounts[from], officerAccounts[to], amount, ''],
      }),
    );
    log(`${SENDERS} officers funded with ${SENDER_FUNDS} minor units each`);

    // Private senders: 64 citizens of Education, funded by one deposit and claim, then by doubling.
    const citizens = Array.from(
      { length: SENDERS },
      (_, i) => `citizen:${EDU}:bench-${run}-${String(i).padStart(4, '0')}`,
    );
    const privately = (fn: string, instruction: object) =>
      commit(teller.contract('egov'), `token:${fn}`, {
        transientData: { token: Buffer.from(JSON.stringify(instruction)), salt: randomBytes(32) },
        endorsingOrganizations: [EDU],
      });
    await commit(bank.contract('egov'), 'token:Transfer', {
      arguments: [`treasury:${CB}`, `treasury:${EDU}`, String(total), 'bench citizens'],
    });
    const salt = randomBytes(32).toString('hex');
    const deposit = await teller.contract('egov').submitAsync('token:Deposit', {
      arguments: [`treasury:${EDU}`, EDU, String(total), depositCommitment(citizens[0], salt), ''],
    });
    if (!(await deposit.getStatus()).successful) throw new Error('the deposit did not commit');
    await privately('Claim', { depositId: deposit.getTransactionId(), accountId: citizens[0], salt });
    await fundByDoubling(citizens, total, (from, to, amount) =>
      privately('PrivateTransfer', { from: citizens[from], to: citizens[to], amount }),
    );
    log(`${SENDERS} citizens funded with ${SENDER_FUNDS} minor units each`);

    // Receivers never send: distinct synthetic officer accounts and citizens.
    const sinkOfficer = (w: number) => officerAccountId(EDU, `bench-sink-${run}-${w}`);
    const sinkCitizen = (w: number) => `citizen:${EDU}:sink-${run}-${String(w).padStart(8, '0')}`;
    const conformance = teller.contract('conformance');
    let puts = 0;
    const ops: Record<Variant, (worker: number) => Promise<unknown>> = {
      put: () => conformance.submitTransaction('Put', `bench-${run}-${++puts}`, PUT_VALUE),
      transfer: (w) =>
        commit(officers[w].contract('egov'), 'token:Transfer', {
          arguments: [officerAccounts[w], sinkOfficer(w), '1', ''],
        }),
      privateTransfer: (w) =>
        privately('PrivateTransfer', { from: citizens[w], to: sinkCitizen(w), amount: '1' }),
    };
    for (const v of VARIANTS) await ops[v](0); // warm-up: connects every chaincode server

    const samples: Sample<Variant>[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      log(`round ${r} of ${ROUNDS}`);
      for (const c of CONCURRENCIES) {
        const shift = (r + c) % VARIANTS.length;
        const order = [...VARIANTS.slice(shift), ...VARIANTS.slice(0, shift)];
        for (const v of order)
          samples.push(
            await measure(v, c, r, Math.max(1, Math.round(COUNTS[c] * SCALE)), (_i, worker) =>
              ops[v](worker),
            ),
          );
      }
    }
    const summaries = CONCURRENCIES.flatMap((c) => VARIANTS.map((v) => summarize(samples, v, c)));
    const has = (...vs: Variant[]) => vs.every((v) => VARIANTS.includes(v));
    const ratios = CONCURRENCIES.map((c) => ({
      concurrency: c,
      ...(has('transfer', 'put') ? { transferVsPut: ratio(samples, 'transfer', 'put', c) } : {}),
      ...(has('privateTransfer', 'put')
        ? { privateTransferVsPut: ratio(samples, 'privateTransfer', 'put', c) }
        : {}),
    }));
    const result = {
      benchmark: 'currency-ratio',
      date: new Date().toISOString(),
      minutes: round1((Date.now() - benchStarted) / 60000),
      machine: { ...machine(), loadAverageAtStart: loadAtStart },
      settings: {
        batchTimeout: BATCH_TIMEOUT,
        maxMessageCount: MAX_MESSAGE_COUNT,
        organizations: 4,
        rounds: ROUNDS,
        transactionsPerVariantPerRound: Object.fromEntries(
          CONCURRENCIES.map((c) => [c, Math.max(1, Math.round(COUNTS[c] * SCALE))]),
        ),
        put: `conformance chaincode Put of a ${PUT_VALUE.length}-byte value to a new key, as Education's admin; MAJORITY (3 of 4 peers)`,
        transfer: `egov token:Transfer of 1 minor unit from one of ${SENDERS} officers' accounts (each its own identity) to its own receiver; MAJORITY (3 of 4 peers)`,
        privateTransfer: `egov token:PrivateTransfer of 1 minor unit between citizens of Education (instruction and salt in the transient map), endorsed by Education's peer alone (accountsEducationMSP's policy)`,
        client:
          '@hyperledger/fabric-gateway to peer0.education (submit = endorse + Broadcast + CommitStatus)',
        variants: VARIANTS,
      },
      summaries,
      ratios,
      samples: samples.map(({ latenciesMs: _omit, ...s }) => s),
    };
    for (const r of ratios)
      log(
        `c=${r.concurrency}: Transfer / Put = ${r.transferVsPut?.ofMedians}; PrivateTransfer / Put = ${r.privateTransferVsPut?.ofMedians}`,
      );
    for (const s of summaries)
      log(
        `${s.variant} c=${s.concurrency}: median ${s.medianTps} tx/s, p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, ${s.failed} failed`,
      );
    const dir = path.join(REPO, 'bench', 'results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `currency-ratio-${result.date.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`results written to ${path.relative(REPO, file)} (${result.minutes} min)`);
  } finally {
    for (const c of conns) c.close();
    bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${errorText(err)}\n${err.stack ?? ''}` : err);
  process.exitCode = 1;
});
