import * as http from 'node:http';
import { peer } from '@hyperledger/fabric-protos';
import { conformanceNetwork, uniqueKey } from './support';

// Issue 9 item 8: each node's operations endpoint: /healthz, and Prometheus /metrics with Fabric's
// metric names and labels for block height, endorsement and commit latency, and validation codes.
const c = conformanceNetwork();
const conn = c.gateway(c.mspIds[0]);
afterAll(() => conn.close());

function get(host: string, port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path, timeout: 5000 }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** The value of one sample line `name{labels} value` whose labels include every given label. */
function sample(body: string, name: string, labels: Record<string, string>): number | undefined {
  const line = body
    .split('\n')
    .find(
      (l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('operations endpoints', () => {
  let blockNumber: bigint;
  beforeAll(async () => {
    const tx = await c
      .contract(conn)
      .newProposal('Put', { arguments: [uniqueKey('ops'), 'v'] })
      .endorse();
    const status = await (await tx.submit()).getStatus();
    expect(status.code).toBe(peer.TxValidationCode.VALID);
    blockNumber = status.blockNumber;
  });

  it('/healthz answers 200 OK on the orderer and every peer', async () => {
    const nodes = [c.net.orderer, ...c.net.organizations.map((o) => o.peers[0])];
    for (const n of nodes) {
      const res = await get(n.host, n.operationsPort, '/healthz');
      expect([n.name, res.status]).toEqual([n.name, 200]);
      expect(JSON.parse(res.body).status).toBe('OK');
    }
  });

  it("a peer's /metrics has ledger_blockchain_height, ledger_transaction_count by validation_code, block processing and proposal duration", async () => {
    const p = c.net.organizations[0].peers[0];
    const { status, body } = await get(p.host, p.operationsPort, '/metrics');
    expect(status).toBe(200);
    expect(sample(body, 'ledger_blockchain_height', { channel: c.channel })).toBeGreaterThan(
      Number(blockNumber),
    );
    const valid = sample(body, 'ledger_transaction_count', {
      channel: c.channel,
      transaction_type: 'ENDORSER_TRANSACTION',
      validation_code: 'VALID',
    });
    expect(valid).toBeGreaterThan(0);
    expect(body).toMatch(new RegExp(`ledger_transaction_count\\{[^}]*chaincode="${c.chaincode}:[^"]+"`));
    expect(sample(body, 'ledger_block_processing_time_count', { channel: c.channel })).toBeGreaterThan(0);
    expect(
      sample(body, 'endorser_proposal_duration_count', {
        channel: c.channel,
        chaincode: c.chaincode,
        success: 'true',
      }),
    ).toBeGreaterThan(0);
    expect(body).toMatch(/endorser_proposals_received \d+/);
  });

  it("the orderer's /metrics has ledger_blockchain_height", async () => {
    const o = c.net.orderer;
    const { body } = await get(o.host, o.operationsPort, '/metrics');
    expect(sample(body, 'ledger_blockchain_height', { channel: c.channel })).toBeGreaterThan(
      Number(blockNumber),
    );
  });
});
