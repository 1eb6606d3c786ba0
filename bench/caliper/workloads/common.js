'use strict';
// What the Caliper workloads share: one request per call, sent as the network configuration's
// User1, and the records bench/caliper-run.ts registered before launching Caliper.
const fs = require('node:fs');
const path = require('node:path');
const { WorkloadModuleBase } = require('@hyperledger/caliper-core');

/** Written by bench/caliper-run.ts into the Caliper workspace: `[{ id, hash }]`. */
const SEEDED_FILE = path.join(__dirname, '..', 'seeded-records.json');

/**
 * A workload whose every call is one request made by `request(n, workload)`, n counting this
 * worker's calls from 1 (for keys no other call uses); `invokerIdentity` is User1.
 */
class RequestWorkload extends WorkloadModuleBase {
  constructor(request) {
    super();
    this.request = request;
    this.sent = 0;
  }

  async submitTransaction() {
    this.sent++;
    await this.sutAdapter.sendRequests({ invokerIdentity: 'User1', ...this.request(this.sent, this) });
  }
}

/** The seeded records; throws when caliper-run.ts wrote none. */
function seededRecords() {
  const records = fs.existsSync(SEEDED_FILE) ? JSON.parse(fs.readFileSync(SEEDED_FILE, 'utf8')) : [];
  if (records.length === 0)
    throw new Error(`no seeded records in ${SEEDED_FILE}: run Caliper through npm run bench:caliper`);
  return records;
}

/** The seeded record for call n of a worker: round robin, workers starting apart. */
function recordFor(records, n, workload) {
  return records[(n + workload.workerIndex * 7919) % records.length];
}

module.exports = { RequestWorkload, seededRecords, recordFor };
