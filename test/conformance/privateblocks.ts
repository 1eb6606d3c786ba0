import * as fs from 'node:fs';
import type { Eventer } from 'fabric-common';
import type { LegacyClient } from '../support/legacy';
import { uniqueKey, type ConformanceNetwork } from './support';

// Blocks with their private data as fabric-common's DeliverWithPrivateData gives them
// (deliverpvt.test.ts, deliverpvt-expiry.test.ts).

/** One private write as fabric-common decodes it. */
export interface PvtWrite {
  namespace: string;
  collection: string;
  key: string;
  value: string;
}

/** What DeliverWithPrivateData sent for one block: its tx ids and the private writes by tx sequence. */
export interface PrivateBlock {
  number: number;
  txIds: string[];
  privateData: Map<number, PvtWrite[]>;
}

/** Block `n` with private data, asked by `legacy`'s identity of `peerMsp`'s peer (DeliverWithPrivateData). */
export async function privateBlock(
  c: ConformanceNetwork,
  legacy: LegacyClient,
  peerMsp: string,
  n: number,
): Promise<PrivateBlock> {
  const org = c.net.organizations.find((o) => o.mspId === peerMsp);
  if (!org) throw new Error(`no org ${peerMsp}`);
  const peer = org.peers[0];
  const eventer: Eventer = legacy.client.newEventer(`${peer.name}-${uniqueKey('pvt')}`);
  await eventer.connect(
    legacy.client.newEndpoint({
      url: `grpcs://${peer.host}:${peer.port}`,
      pem: fs.readFileSync(org.tlsCaCertPath, 'utf8'),
      'ssl-target-name-override': peer.name,
      requestTimeout: 30_000,
      'grpc-wait-for-ready-timeout': 30_000, // as support/legacy.ts's endpoints
    }),
  );
  const events = legacy.channel.newEventService(uniqueKey('deliverpvt'));
  try {
    events.setTargets([eventer]);
    events.build(legacy.idx, { blockType: 'private', startBlock: n, endBlock: n });
    events.sign(legacy.idx);
    const got = new Promise<PrivateBlock>((resolve, reject) => {
      events.registerBlockListener(
        (err, event) => {
          if (err || !event) return reject(err ?? new Error('no block event'));
          resolve(decode(event.blockNumber?.toString() ?? '-1', event.block, event.privateData));
        },
        { unregister: true },
      );
    });
    await events.send();
    return await got;
  } finally {
    events.close();
    eventer.disconnect();
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- fabric-common's decoded block and private data are untyped */
function decode(number: string, block: any, privateData: any): PrivateBlock {
  const txIds: string[] = (block?.data?.data ?? []).map(
    (env: any) => env?.payload?.header?.channel_header?.tx_id ?? '',
  );
  const map = new Map<number, PvtWrite[]>();
  for (const [seq, tx] of Object.entries<any>(privateData ?? {})) {
    const writes: PvtWrite[] = [];
    for (const ns of tx.ns_pvt_rwset ?? []) {
      for (const coll of ns.collection_pvt_rwset ?? []) {
        for (const w of coll.rwset?.writes ?? []) {
          writes.push({
            namespace: ns.namespace,
            collection: coll.collection_name,
            key: w.key,
            value: Buffer.from(w.value ?? []).toString('utf8'),
          });
        }
      }
    }
    map.set(Number(seq), writes);
  }
  return { number: Number(number), txIds, privateData: map };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The private writes a block carries for one transaction (by its sequence in the block). */
export function writesOf(b: PrivateBlock, txId: string): PvtWrite[] | undefined {
  const seq = b.txIds.indexOf(txId);
  expect(seq).toBeGreaterThanOrEqual(0);
  return b.privateData.get(seq);
}
