'use strict';
/**
 * Benchmark (issue 11): ledger:RegisterRecord throughput with ten rules in force for the record
 * type against none, at the same concurrency, as a ratio. Runs against a running devnet (or any
 * network described by a devnet network.json) through @hyperledger/fabric-gateway, as
 * EducationMSP's admin.
 *
 *   npm run build && node devnet/dist/node/cli.js up && node devnet/dist/node/cli.js deploy
 *   DEVNET_HOME=.devnet node bench/rules-ratio.js [records per round=200] [concurrency=20] [rounds=2]
 *
 * Each round registers the same number of records of a type with no rules and of a type with ten
 * rules (each with a JSON Logic condition the records pass); rounds alternate the order. Prints
 * one JSON line: throughput of each side and their ratio (with rules / without).
 */
const { createHash, createPrivateKey } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const { connect, hash, signers } = require('@hyperledger/fabric-gateway');

const [RECORDS = 200, CONCURRENCY = 20, ROUNDS = 2] = process.argv.slice(2).map(Number);
const RULES = 10;
const home = process.env.DEVNET_HOME ?? path.resolve(__dirname, '..', '.devnet');
const net = JSON.parse(fs.readFileSync(path.join(home, 'network.json'), 'utf8'));
const run = Date.now().toString(36);

/** A fabric-gateway contract for a ministry's admin. */
function contractOf(mspId) {
  const org = net.organizations.find((o) => o.mspId === mspId);
  const peer = org.peers[0];
  const client = new grpc.Client(
    `${peer.host}:${peer.port}`,
    grpc.credentials.createSsl(fs.readFileSync(org.tlsCaCertPath)),
    {
      'grpc.ssl_target_name_override': peer.name,
    },
  );
  const gateway = connect({
    client,
    identity: { mspId, credentials: fs.readFileSync(org.admin.certPath) },
    signer: signers.newPrivateKeySigner(createPrivateKey(fs.readFileSync(org.admin.keyPath))),
    hash: hash.sha256,
  });
  const contract = gateway.getNetwork(net.channel).getContract(net.chaincode.name);
  return { contract, close: () => (gateway.close(), client.close()) };
}

/** Submits, tolerating an "already" answer (a ministry registered by an earlier run). */
async function submitOnce(contract, name, ...args) {
  try {
    await contract.submitTransaction(name, ...args);
  } catch (err) {
    const text = [err.message, ...(err.details ?? []).map((d) => d.message)].join(' ');
    if (!/already registered/.test(text)) throw err;
  }
}

/** Enacts a proposal: Education proposes and approves, Health approves, anyone tallies. */
async function enact(edu, health, id, kind, content) {
  await edu.submitTransaction('governance:Propose', JSON.stringify({ id, kind, content }));
  await edu.submitTransaction('governance:Approve', id);
  await health.submitTransaction('governance:Approve', id);
  await edu.submitTransaction('governance:Tally', id);
}

/** Registers `count` records of a type with `concurrency` submissions in flight; returns tx/s. */
async function throughput(contract, recordType, count, concurrency) {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const id = `bench-${run}-${recordType.split('.')[1]}-${n}-${Math.random().toString(36).slice(2, 8)}`;
      const record = {
        id,
        category: 'G2C',
        recordType,
        subjectRef: `subj-${createHash('sha256').update(id).digest('hex').slice(0, 16)}`,
        payload: { certificateNo: id, year: 2024, accredited: true },
      };
      await contract.submitTransaction('ledger:RegisterRecord', JSON.stringify(record));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function main() {
  const edu = contractOf('EducationMSP');
  const health = contractOf('HealthMSP');
  const imm = contractOf('ImmigrationMSP');
  try {
    for (const c of [edu, health, imm]) await submitOnce(c.contract, 'governance:RegisterMinistry');
    const withRules = `education.bench-r${run}`;
    const without = `education.bench-n${run}`;
    const schema = JSON.stringify({ schema: { type: 'object' } });
    for (const t of [withRules, without])
      await edu.contract.submitTransaction('schemas:RegisterSchema', t, schema);
    const textHash = 'b'.repeat(64);
    const lawId = `BENCH-${run}`;
    await enact(edu.contract, health.contract, `p-${lawId}`, 'law', {
      id: lawId,
      title: 'Bench Act',
      textHash,
      effectiveFrom: '2020-01-01',
    });
    await enact(edu.contract, health.contract, `p-${lawId}-a1`, 'article', {
      lawId,
      id: 'a1',
      title: 'Bench article',
      textHash,
      effectiveFrom: '2020-01-01',
    });
    await Promise.all(
      Array.from({ length: RULES }, (_, i) =>
        enact(edu.contract, health.contract, `p-${lawId}-r${i}`, 'rule', {
          id: `${lawId}-r${i}`,
          lawId,
          articleId: 'a1',
          title: `Bench rule ${i}`,
          textHash,
          appliesTo: [`G2C/${withRules}`],
          condition: {
            and: [
              { '>=': [{ var: 'payload.year' }, 2000 + i] },
              { '==': [{ var: 'payload.accredited' }, true] },
            ],
          },
          effectiveFrom: '2020-01-01',
        }),
      ),
    );
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? [without, withRules] : [withRules, without];
      const tps = {};
      for (const t of order) tps[t] = await throughput(edu.contract, t, RECORDS, CONCURRENCY);
      rounds.push({ withoutRules: tps[without], withTenRules: tps[withRules] });
    }
    const mean = (k) => rounds.reduce((s, x) => s + x[k], 0) / rounds.length;
    const result = {
      benchmark: 'RegisterRecord, ten rules in force vs none',
      records: RECORDS,
      concurrency: CONCURRENCY,
      rounds,
      withoutRulesTps: mean('withoutRules'),
      withTenRulesTps: mean('withTenRules'),
      ratio: mean('withTenRules') / mean('withoutRules'),
    };
    console.log(JSON.stringify(result));
  } finally {
    for (const c of [edu, health, imm]) c.close();
  }
}

main().catch((err) => {
  console.error(err.details ?? err);
  process.exit(1);
});
