import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { common } from '@hyperledger/fabric-protos';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { TEST_GATEWAY_PORT, testNetwork } from '../support/devnet';
import { connectGateway } from '../support/gateway';
import { officerToken, startHttpGateway, type HttpGateway } from '../support/http';
import { documentedValidWrite } from './documented';
import { fuzzRequests, type FuzzRequest } from './requests';
import { fromReplayLine, send, toReplayLine, type FuzzResponse } from './send';

/**
 * Issue 21's fuzz suite: generated requests against a real gateway on the test devnet. Properties:
 * no 5xx; a 2xx on a writing route only for a request the API documents as valid; the ledger's
 * height and record count change only by those successful writes; the gateway stays healthy.
 * `npm test` runs FUZZ_REQUESTS=256 with a fixed seed; `npm run fuzz` runs 10,000 (see README).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 256);
const IN_FLIGHT = 8;
const TOKEN = 'fuzz-admin-token-0123456789abcdef';
const OUT = process.env.FUZZ_OUT ?? path.join(os.tmpdir(), `govfabric-fuzz-${SEED}.jsonl`);
/** The one POST route that writes nothing (a dry run). */
const EVALUATE = /^\/api\/v1\/rules\/evaluate\/?(\?|$)/i;

/** Height of the channel on a ministry's peer and the number of valid transactions in blocks from `from`. */
async function ledgerState(
  net: NetworkDescriptor,
  from?: bigint,
): Promise<{ height: bigint; valid: number }> {
  const conn = connectGateway(net, 'ImmigrationMSP');
  try {
    const qscc = conn.gateway.getNetwork(net.channel).getContract('qscc');
    const info = common.BlockchainInfo.deserializeBinary(
      await qscc.evaluateTransaction('GetChainInfo', net.channel),
    );
    const height = BigInt(info.getHeight());
    let valid = 0;
    for (let n = from ?? height; n < height; n++) {
      const block = common.Block.deserializeBinary(
        await qscc.evaluateTransaction('GetBlockByNumber', net.channel, n.toString()),
      );
      const filter = block.getMetadata()!.getMetadataList_asU8()[
        common.BlockMetadataIndex.TRANSACTIONS_FILTER
      ];
      valid += filter.filter((code) => code === 0).length;
    }
    return { height, valid };
  } finally {
    conn.close();
  }
}

/** Records issued by ImmigrationMSP, counted page by page through the chaincode. */
async function recordCount(net: NetworkDescriptor): Promise<number> {
  const conn = connectGateway(net, 'ImmigrationMSP');
  try {
    const contract = conn.gateway.getNetwork(net.channel).getContract('egov', 'ledger');
    let count = 0;
    let bookmark = '';
    do {
      const page = JSON.parse(
        Buffer.from(
          await contract.evaluateTransaction('ListRecords', 'issuer', 'ImmigrationMSP', '100', bookmark),
        ).toString(),
      ) as { items: unknown[]; bookmark: string };
      count += page.items.length;
      bookmark = page.bookmark;
    } while (bookmark !== '');
    return count;
  } finally {
    conn.close();
  }
}

/** The verification routes' documented "not found" answer (`{found: false}`, not a problem), and HEAD's empty one. */
function verifyMiss(req: FuzzRequest, res: FuzzResponse): boolean {
  return req.method === 'HEAD' || (res.status === 404 && res.body.startsWith('{"found":false'));
}

/** What the run saw. */
interface Tally {
  sent: number;
  byStatus: Record<number, number>;
  writes2xx: number;
  recordsCreated: number;
  failures: string[];
}

describe('fuzz: generated requests against the gateway on the devnet', () => {
  let net: NetworkDescriptor;
  let gateway: HttpGateway;
  let agent: http.Agent;

  beforeAll(async () => {
    net = testNetwork();
    const saved = process.env.GATEWAY_ADMIN_TOKEN;
    try {
      process.env.GATEWAY_ADMIN_TOKEN = TOKEN;
      gateway = await startHttpGateway(net.home, 'ImmigrationMSP', TEST_GATEWAY_PORT + 9);
    } finally {
      if (saved === undefined) delete process.env.GATEWAY_ADMIN_TOKEN;
      else process.env.GATEWAY_ADMIN_TOKEN = saved;
    }
    agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  });

  afterAll(async () => {
    agent?.destroy();
    await gateway?.stop();
  });

  /** The request as the demo officer when it names no caller (the admin token otherwise stays). */
  async function asOfficer(req: FuzzRequest): Promise<FuzzRequest> {
    if (req.headers.authorization !== undefined) return req;
    return { ...req, headers: { ...req.headers, authorization: `Bearer ${await officerToken()}` } };
  }

  /** Sends one request and checks the per-request properties; failures are saved for replay. */
  async function check(req: FuzzRequest, tally: Tally): Promise<void> {
    let res: FuzzResponse;
    try {
      res = await send(new URL(gateway.url), agent, await asOfficer(req));
    } catch (err) {
      tally.failures.push(toReplayLine(req, `no answer: ${(err as Error).message}`));
      return;
    }
    tally.sent++;
    tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
    const write = req.method === 'POST' && !EVALUATE.test(req.path) && res.status >= 200 && res.status < 300;
    if (res.status >= 500) tally.failures.push(toReplayLine(req, res));
    else if (write) {
      if (!documentedValidWrite(req, TOKEN)) tally.failures.push(toReplayLine(req, res));
      tally.writes2xx++;
      if (res.status === 201 && /^\/api\/v1\/records(\/[^/?]+\/amend)?\/?(\?|$)/i.test(req.path))
        tally.recordsCreated++;
    } else if (
      res.status >= 400 &&
      !/^application\/problem\+json/.test(res.contentType) &&
      !verifyMiss(req, res)
    ) {
      tally.failures.push(toReplayLine(req, { ...res, body: `not problem+json: ${res.body}` }));
    }
  }

  it(
    `answers ${REQUESTS} generated requests (seed ${SEED}) with no 5xx and no undocumented write`,
    async () => {
      const replay = process.env.FUZZ_REPLAY;
      const before = await ledgerState(net);
      const recordsBefore = await recordCount(net);
      const tally: Tally = { sent: 0, byStatus: {}, writes2xx: 0, recordsCreated: 0, failures: [] };
      const started = Date.now();
      if (replay) {
        for (const line of fs.readFileSync(replay, 'utf8').split('\n').filter(Boolean))
          await check(fromReplayLine(line), tally);
      } else {
        await fc.assert(
          fc.asyncProperty(
            fc.array(fuzzRequests(TOKEN), { minLength: IN_FLIGHT, maxLength: IN_FLIGHT }),
            async (batch) => {
              await Promise.all(batch.map((req) => check(req, tally)));
            },
          ),
          { seed: SEED, numRuns: Math.ceil(REQUESTS / IN_FLIGHT), endOnFailure: true },
        );
      }
      const seconds = (Date.now() - started) / 1000;

      const health = await fetch(`${gateway.url}/healthz`);
      const ready = await fetch(`${gateway.url}/readyz`);
      const after = await ledgerState(net, before.height);
      const recordsAfter = await recordCount(net);
      const fivexx = Object.entries(tally.byStatus)
        .filter(([s]) => Number(s) >= 500)
        .reduce((n, [, c]) => n + c, 0);
      fs.writeFileSync(OUT, tally.failures.map((l) => `${l}\n`).join(''));
      console.log(
        `fuzz: seed ${SEED}, ${tally.sent} requests in ${seconds.toFixed(1)} s, ${fivexx} answered 5xx, ` +
          `statuses ${JSON.stringify(tally.byStatus)}, ${tally.writes2xx} successful writes, ` +
          `${after.valid} valid transactions in blocks ${before.height}..${after.height - 1n}, ` +
          `${tally.failures.length} failures${tally.failures.length ? ` saved in ${OUT} (replay: FUZZ_REPLAY=${OUT} npm run fuzz)` : ''}`,
      );

      expect(tally.failures.slice(0, 5)).toEqual([]);
      expect(tally.sent).toBeGreaterThanOrEqual(replay ? 1 : REQUESTS);
      expect([health.status, ready.status]).toEqual([200, 200]);
      expect(after.valid).toBe(tally.writes2xx);
      expect(recordsAfter - recordsBefore).toBe(tally.recordsCreated);
    },
    120_000 + REQUESTS * 1000,
  );
});
