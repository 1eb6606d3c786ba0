import { common, ledger, peer } from '@hyperledger/fabric-protos';
import type { Contract } from '@hyperledger/fabric-gateway';
import {
  conformanceNetwork,
  devnetAsync,
  itOnDevnet,
  nodePid,
  text,
  uniqueKey,
  type GatewayConnection,
} from './support';

// Issue 9 item 7: kill -9 of the orderer and of a peer at random moments under a bounded load
// (TOTAL transactions, CONCURRENCY at a time, loopback only), restart them with `devnet up`, then:
// every acknowledged transaction (submit returned and commit status VALID) is committed on every
// peer, every peer has the same COMMIT_HASH for every block, and each peer's world state equals a
// replay of the blocks' valid writes.
const c = conformanceNetwork();
const TOTAL = 200;
/** The load goes on past TOTAL (to at most this) until both kills and restarts are done. */
const MAX_TOTAL = 1000;
const CONCURRENCY = 10;
/** Attempts per key (a new transaction each time) while nodes are down. */
const MAX_ATTEMPTS = 40;
const Code = peer.TxValidationCode;

interface Acked {
  key: string;
  value: string;
  txId: string;
  blockNumber: bigint;
}

/**
 * Submits Put(key_i, value_i) for i < TOTAL, CONCURRENCY at a time, and on while `more()` says the
 * crashes are not done (up to MAX_TOTAL); calls `progress` after each acknowledgement.
 */
async function load(
  cc: Contract,
  prefix: string,
  progress: (acked: number) => Promise<void>,
  more: () => boolean,
  abort: () => boolean,
): Promise<{ acked: Acked[]; failed: number }> {
  const acked: Acked[] = [];
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while ((next < TOTAL || (more() && next < MAX_TOTAL)) && !abort()) {
      const i = next++;
      const key = `${prefix}-${String(i).padStart(4, '0')}`;
      const value = `v${i}`;
      // While a node is down transactions fail: retry the key with a new transaction, a bounded number of times.
      for (let attempt = 0; attempt < MAX_ATTEMPTS && !abort(); attempt++) {
        try {
          const tx = await cc.newProposal('Put', { arguments: [key, value] }).endorse();
          const status = await (await tx.submit()).getStatus();
          if (status.code === Code.VALID) {
            acked.push({ key, value, txId: tx.getTransactionId(), blockNumber: status.blockNumber });
            await progress(acked.length);
            break;
          }
          failed++;
        } catch {
          failed++; // not acknowledged: may or may not be committed, the checks below allow both
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { acked, failed };
}

/** Every block of a peer from 0 to `last` (inclusive), through Deliver. */
async function blocksOf(conn: GatewayConnection, last: bigint): Promise<common.Block[]> {
  const events = await conn.gateway.getNetwork(c.channel).getBlockEvents({ startBlock: BigInt(0) });
  const blocks: common.Block[] = [];
  try {
    for await (const b of events) {
      blocks.push(b);
      if (BigInt(b.getHeader()!.getNumber()) >= last) break;
    }
  } finally {
    events.close();
  }
  return blocks;
}

function commitHashOf(block: common.Block): string {
  const entry = block.getMetadata()!.getMetadataList_asU8()[common.BlockMetadataIndex.COMMIT_HASH];
  return entry === undefined || entry.length === 0
    ? ''
    : Buffer.from(common.Metadata.deserializeBinary(entry).getValue_asU8()).toString('hex');
}

/** The conformance chaincode's keys under `prefix` as a replay of the blocks' VALID writes would leave them. */
function replay(blocks: common.Block[], prefix: string): Map<string, string> {
  const state = new Map<string, string>();
  for (const block of blocks) {
    const filter = block.getMetadata()!.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
    block
      .getData()!
      .getDataList_asU8()
      .forEach((envBytes, i) => {
        if (filter[i] !== Code.VALID) return;
        const payload = common.Payload.deserializeBinary(
          common.Envelope.deserializeBinary(envBytes).getPayload_asU8(),
        );
        const chdr = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
        if (chdr.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return;
        const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
        const cap = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
        const prp = peer.ProposalResponsePayload.deserializeBinary(
          cap.getAction()!.getProposalResponsePayload_asU8(),
        );
        const results = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8()).getResults_asU8();
        for (const ns of ledger.rwset.TxReadWriteSet.deserializeBinary(results).getNsRwsetList()) {
          if (ns.getNamespace() !== c.chaincode) continue;
          for (const w of ledger.rwset.kvrwset.KVRWSet.deserializeBinary(
            ns.getRwset_asU8(),
          ).getWritesList()) {
            if (!w.getKey().startsWith(prefix)) continue;
            if (w.getIsDelete()) state.delete(w.getKey());
            else state.set(w.getKey(), text(w.getValue_asU8()));
          }
        }
      });
  }
  return state;
}

describe('crash safety', () => {
  const conns: GatewayConnection[] = [];
  afterAll(() => conns.forEach((x) => x.close()));

  itOnDevnet(c)(
    'kill -9 of the orderer and of a peer under load loses no acknowledged transaction and leaves state = replay of blocks',
    async () => {
      const [org1, , victimOrg] = c.mspIds;
      const victimPeer = c.net.organizations.find((o) => o.mspId === victimOrg)!.peers[0].name;
      const submitter = c.gateway(org1);
      conns.push(submitter);
      const prefix = uniqueKey('crash');
      // Random moments, bounded: the orderer dies after 20..69 acknowledgements, the peer after 90..139.
      const killOrdererAt = 20 + Math.floor(Math.random() * 50);
      const killPeerAt = 90 + Math.floor(Math.random() * 50);
      let restarts: Promise<unknown> = Promise.resolve();
      let restarting = false;
      let restartError: Error | undefined;
      const kills: string[] = [];
      const kill = (name: string): void => {
        process.kill(nodePid(c, name), 'SIGKILL');
        kills.push(name);
        restarting = true;
        // `devnet up` starts every node that is not running and waits until it is healthy; it also
        // redeploys the chaincode servers, so the next kill waits until it is done.
        restarts = restarts
          .then(() => new Promise((r) => setTimeout(r, 500)))
          .then(() => devnetAsync(c, 'up'))
          .catch((err: Error) => (restartError = err))
          .finally(() => (restarting = false));
      };
      const { acked, failed } = await load(
        c.contract(submitter),
        prefix,
        async (n) => {
          if (n === killOrdererAt) kill(c.net.orderer.name);
          else if (n >= killPeerAt && !restarting && kills.length === 1) kill(victimPeer);
        },
        () => restartError === undefined && (kills.length < 2 || restarting),
        () => restartError !== undefined,
      );
      await restarts;
      if (restartError) throw restartError;
      console.log(
        `crash test: ${acked.length} acknowledged, ${failed} not acknowledged; killed ${kills.join(', ')} (after ${killOrdererAt} and ${killPeerAt} acks)`,
      );
      expect(kills).toHaveLength(2);
      expect(acked.length).toBeGreaterThan(killPeerAt);

      // A marker transaction after the load: its block closes the range that any of the load's transactions can be in.
      const marker = await c
        .contract(submitter)
        .newProposal('Put', { arguments: [`${prefix}.marker`, 'end'] })
        .endorse();
      const markerStatus = await (await marker.submit()).getStatus();
      expect(markerStatus.code).toBe(Code.VALID);
      const last = markerStatus.blockNumber;
      const perPeer = c.mspIds.map((m) => {
        const conn = c.gateway(m);
        conns.push(conn);
        return conn;
      });
      const hashes: string[][] = [];
      for (const conn of perPeer) {
        const blocks = await blocksOf(conn, last); // waits until the peer (the restarted one too) has caught up
        expect(blocks).toHaveLength(Number(last) + 1);
        hashes.push(blocks.map(commitHashOf));
        const replayed = replay(blocks, prefix);
        // Every acknowledged transaction is in this peer's blocks, VALID, with its value.
        for (const a of acked) expect(replayed.get(a.key)).toBe(a.value);
        // The peer's world state for this run's keys equals the replay of its blocks.
        const stored = JSON.parse(
          text(await c.contract(conn).evaluateTransaction('Range', `${prefix}-`, `${prefix}.`)),
        ) as { key: string; value: string }[];
        const stateMap = new Map(stored.map((r) => [r.key, r.value]));
        const replayedAll = new Map([...replayed].filter(([k]) => k.startsWith(`${prefix}-`)));
        expect(Object.fromEntries(stateMap)).toEqual(Object.fromEntries(replayedAll));
      }
      // Same COMMIT_HASH chain on every peer (blocks 1..last carry one).
      for (const h of hashes.slice(1)) expect(h).toEqual(hashes[0]);
      expect(hashes[0].slice(1).every((h) => h.length === 64)).toBe(true);
    },
    300_000,
  );
});
