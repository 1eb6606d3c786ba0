import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NetworkDescriptor } from '@govfabric/network-config';
import { readSse, type ReceivedFrame } from '../../gateway/src/testing/sseclient';
import { TEST_GATEWAY_PORT, testNetwork } from '../support/devnet';
import { connectGateway } from '../support/gateway';
import { officerToken, startHttpGateway, type HttpGateway } from '../support/http';
import { submitRegistration } from '../support/records';
import { newSeededRecord } from '../support/seed';

/** Registers `count` records as ImmigrationMSP's User1 with the raw client; their transaction ids and blocks. */
async function register(
  net: NetworkDescriptor,
  count: number,
): Promise<{ txIds: string[]; firstBlock: bigint }> {
  const gw = connectGateway(net, 'ImmigrationMSP');
  try {
    const contract = gw.gateway.getNetwork(net.channel).getContract(net.chaincode.name);
    const statuses = await Promise.all(
      Array.from({ length: count }, async () => {
        const record = newSeededRecord('immigration.residence-permit');
        const submitted = await submitRegistration(net, contract, 'ImmigrationMSP', record);
        const status = await submitted.getStatus();
        expect(status.successful).toBe(true);
        return status;
      }),
    );
    return {
      txIds: statuses.map((s) => s.transactionId),
      firstBlock: statuses.map((s) => s.blockNumber).reduce((a, b) => (a < b ? a : b)),
    };
  } finally {
    gw.close();
  }
}

const txIdOf = (frame: ReceivedFrame): string | undefined =>
  (frame.data as { transactionId?: string }).transactionId;

/** True once every id in `txIds` arrived. */
const hasAll = (txIds: string[]) => (frames: ReceivedFrame[]) => {
  const seen = new Set(frames.map(txIdOf));
  return txIds.every((id) => seen.has(id));
};

/** `12-3` → [12, 3]; a block end `12` sorts after its transactions. */
function position(id: string | undefined): [number, number] {
  const [block, index] = String(id).split('-');
  return [Number(block), index === undefined ? Number.MAX_SAFE_INTEGER : Number(index)];
}

/** Every frame id is later in the ledger than the one before: nothing repeated, nothing out of order. */
function expectStrictlyIncreasing(frames: ReceivedFrame[]): void {
  for (let i = 1; i < frames.length; i++) {
    const [a, b] = [position(frames[i - 1].id), position(frames[i].id)];
    expect([frames[i - 1].id, frames[i].id, a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])]).toEqual([
      frames[i - 1].id,
      frames[i].id,
      true,
    ]);
  }
}

// Issue 17: a stream resumed after a gateway restart, with Last-Event-ID or a durable subscription.
describe('event stream across a gateway restart', () => {
  let net: NetworkDescriptor;
  let gw: HttpGateway | undefined;
  const port = TEST_GATEWAY_PORT + 12;
  const env = { GATEWAY_SUBSCRIPTIONS_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'govfabric-subs-')) };

  beforeAll(() => {
    net = testNetwork();
  });
  afterAll(async () => {
    await gw?.stop();
    fs.rmSync(env.GATEWAY_SUBSCRIPTIONS_DIR, { recursive: true, force: true });
  });

  it('delivers every event of N transactions exactly once, resumed by Last-Event-ID and by subscription', async () => {
    gw = await startHttpGateway(net.home, 'ImmigrationMSP', port, env);
    const headers = { authorization: `Bearer ${await officerToken()}` };
    const before = await register(net, 3);
    const query = `from=${before.firstBlock}&contract=ledger&event=RecordRegistered`;

    // A client that reads until it has the first 3, then leaves, keeping its last event id.
    const first = await readSse(`${gw.url}/api/v1/events?${query}&blocks=false`, hasAll(before.txIds), {
      headers,
      timeoutMs: 120_000,
    });
    expect(first.status).toBe(200);
    // A durable subscription, still streaming when the gateway shuts down.
    const running = gw;
    let stopping: Promise<void> | undefined;
    const subscribed = await readSse(
      `${gw.url}/api/v1/events?${query}&subscription=registrations`,
      (frames) => {
        // A block's frame follows its events: stop once it came, or the shutdown may race it.
        if (hasAll(before.txIds)(frames) && frames.some((f) => f.event === 'block'))
          stopping ??= running.stop();
        return false;
      },
      { headers, timeoutMs: 120_000 },
    );
    expect(subscribed.endedByServer).toBe(true);
    await stopping;

    // Committed while no gateway runs.
    const during = await register(net, 3);
    gw = await startHttpGateway(net.home, 'ImmigrationMSP', port, env);

    const resumed = await readSse(`${gw.url}/api/v1/events?${query}&blocks=false`, hasAll(during.txIds), {
      headers: { ...headers, 'last-event-id': String(first.frames.at(-1)?.id) },
      timeoutMs: 120_000,
    });
    const resubscribed = await readSse(
      `${gw.url}/api/v1/events?subscription=registrations&contract=ledger&event=RecordRegistered`,
      hasAll(during.txIds),
      { headers, timeoutMs: 120_000 },
    );

    const ours = [...before.txIds, ...during.txIds].sort();
    for (const frames of [
      [...first.frames, ...resumed.frames],
      [...subscribed.frames, ...resubscribed.frames],
    ]) {
      const events = frames.filter((f) => f.event === 'chaincode');
      expect(
        events
          .map(txIdOf)
          .filter((id) => ours.includes(String(id)))
          .sort(),
      ).toEqual(ours);
      expectStrictlyIncreasing(frames);
    }
    expect(subscribed.frames.some((f) => f.event === 'block')).toBe(true);
  });
});
