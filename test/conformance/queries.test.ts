/* eslint-disable @typescript-eslint/no-explicit-any -- tests read fields of arbitrary JSON answers */
import { createHash } from 'node:crypto';
import { common, gateway as gw, peer } from '@hyperledger/fabric-protos';
import { conformanceNetwork, failureOf, text, uniqueKey } from './support';

// Issue 9 item 4: range and composite-key queries with and without pagination, key history, the
// transaction's own data (GetTxID ... GetSignedProposal), SetEvent, InvokeChaincode, and rich queries
// failing clearly on LevelDB — as the conformance chaincode sees them through the real shim.
const c = conformanceNetwork();
const [org1] = c.mspIds;
const conn = c.gateway(org1);
const cc = c.contract(conn);
afterAll(() => conn.close());

async function put(key: string, value: string): Promise<void> {
  await cc.submitTransaction('Put', key, value);
}
const json = async (fcn: string, ...args: string[]): Promise<any> =>
  JSON.parse(text(await cc.evaluateTransaction(fcn, ...args)));

describe('GetStateByRange', () => {
  const p = uniqueKey('range');
  beforeAll(async () => {
    // One transaction per key would be slow: the chaincode's Put takes one key, so write them concurrently.
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((s) => put(`${p}-${s}`, s.toUpperCase())));
  });

  it('returns the keys in [start, end) in key order', async () => {
    expect(await json('Range', `${p}-b`, `${p}-e`)).toEqual([
      { key: `${p}-b`, value: 'B' },
      { key: `${p}-c`, value: 'C' },
      { key: `${p}-d`, value: 'D' },
    ]);
  });

  it('pages with page size, bookmark and fetched records count, ending with an empty bookmark', async () => {
    const page1 = await json('RangePaged', `${p}-a`, `${p}-z`, '2', '');
    expect(page1.results.map((r: { key: string }) => r.key)).toEqual([`${p}-a`, `${p}-b`]);
    expect(page1.fetchedRecordsCount).toBe(2);
    expect(page1.bookmark).toBe(`${p}-c`);
    const page2 = await json('RangePaged', `${p}-a`, `${p}-z`, '2', page1.bookmark);
    expect(page2.results.map((r: { key: string }) => r.key)).toEqual([`${p}-c`, `${p}-d`]);
    const page3 = await json('RangePaged', `${p}-a`, `${p}-z`, '2', page2.bookmark);
    expect(page3.results.map((r: { key: string }) => r.key)).toEqual([`${p}-e`]);
    expect(page3.fetchedRecordsCount).toBe(1);
    expect(page3.bookmark).toBe('');
  });
});

describe('GetStateByPartialCompositeKey', () => {
  const type = uniqueKey('doc');
  beforeAll(async () => {
    await Promise.all([
      cc.submitTransaction('PutComposite', type, '1', '["IMM","p1"]'),
      cc.submitTransaction('PutComposite', type, '2', '["IMM","p2"]'),
      cc.submitTransaction('PutComposite', type, '3', '["EDU","p1"]'),
    ]);
  });

  it('returns every key with the given leading attributes, with their attributes split', async () => {
    const rows = await json('PartialComposite', type, '["IMM"]');
    expect(rows.map((r: { value: string; attributes: string[] }) => [r.value, r.attributes])).toEqual([
      ['1', ['IMM', 'p1']],
      ['2', ['IMM', 'p2']],
    ]);
    expect((await json('PartialComposite', type, '[]')).length).toBe(3);
  });

  it('pages composite keys with a bookmark', async () => {
    const page1 = await json('PartialCompositePaged', type, '[]', '2', '');
    expect(page1.results.map((r: { value: string }) => r.value)).toEqual(['3', '1']); // EDU < IMM
    expect(page1.fetchedRecordsCount).toBe(2);
    const page2 = await json('PartialCompositePaged', type, '[]', '2', page1.bookmark);
    expect(page2.results.map((r: { value: string }) => r.value)).toEqual(['2']);
    expect(page2.bookmark).toBe('');
  });
});

describe('GetHistoryForKey', () => {
  it('returns every committed write and delete of the key, newest first, with tx id, timestamp and is_delete', async () => {
    const key = uniqueKey('hist');
    const txIds: string[] = [];
    for (const step of ['v1', 'v2', null, 'v3']) {
      const proposal =
        step === null
          ? cc.newProposal('Del', { arguments: [key] })
          : cc.newProposal('Put', { arguments: [key, step] });
      const tx = await proposal.endorse();
      const commit = await tx.submit();
      expect((await commit.getStatus()).code).toBe(peer.TxValidationCode.VALID);
      txIds.push(tx.getTransactionId());
    }
    const history = await json('History', key);
    expect(history.map((h: { txId: string }) => h.txId)).toEqual([...txIds].reverse());
    expect(history.map((h: { value: string; isDelete: boolean }) => [h.value, h.isDelete])).toEqual([
      ['v3', false],
      ['', true],
      ['v2', false],
      ['v1', false],
    ]);
    const seconds = history.map((h: { timestamp: { seconds: number } }) => h.timestamp.seconds);
    expect([...seconds].sort()).toEqual([...seconds].reverse());
    expect(Math.abs(seconds[0] - Date.now() / 1000)).toBeLessThan(600);
  });

  it('returns an empty history for a key never written', async () => {
    expect(await json('History', uniqueKey('never'))).toEqual([]);
  });
});

describe("the transaction's own data", () => {
  it('GetTxID, GetTxTimestamp, GetCreator, GetTransient, GetBinding and GetSignedProposal match the proposal', async () => {
    const proposal = cc.newProposal('TxInfo', { transientData: { secret: 'shh', other: 'x' } });
    const info = JSON.parse(text(await proposal.evaluate()));
    const signed = gw.ProposedTransaction.deserializeBinary(proposal.getBytes()).getProposal()!;
    const prop = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
    const header = common.Header.deserializeBinary(prop.getHeader_asU8());
    const shdr = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
    const chdr = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    const epoch = Buffer.alloc(8);
    epoch.writeBigUInt64LE(BigInt(chdr.getEpoch()));
    const binding = createHash('sha256')
      .update(shdr.getNonce_asU8())
      .update(shdr.getCreator_asU8())
      .update(epoch)
      .digest('hex');

    expect(info.txId).toBe(proposal.getTransactionId());
    expect(info.channelId).toBe(c.channel);
    expect(info.timestamp.seconds).toBe(chdr.getTimestamp()!.getSeconds());
    expect(info.creatorMspId).toBe(org1);
    expect(info.creatorCert).toContain('BEGIN CERTIFICATE');
    expect(info.transientKeys).toEqual(['other', 'secret']);
    expect(info.transient.secret).toBe('shh');
    expect(info.bindingHex).toBe(binding);
    expect(info.signedProposalTxId).toBe(proposal.getTransactionId());
    expect(info.signatureLength).toBeGreaterThan(60);
  });

  it('SetEvent: the committed transaction carries the chaincode event', async () => {
    const name = uniqueKey('evt');
    const tx = await cc.newProposal('SetEvent', { arguments: [name, 'payload-1'] }).endorse();
    const commit = await tx.submit();
    const status = await commit.getStatus();
    expect(status.code).toBe(peer.TxValidationCode.VALID);
    const events = await c
      .gateway(org1)
      .gateway.getNetwork(c.channel)
      .getChaincodeEvents(c.chaincode, { startBlock: status.blockNumber });
    try {
      for await (const e of events) {
        if (e.transactionId !== tx.getTransactionId()) continue;
        expect(e.eventName).toBe(name);
        expect(text(e.payload)).toBe('payload-1');
        expect(e.blockNumber).toBe(status.blockNumber);
        break;
      }
    } finally {
      events.close();
    }
  });
});

describe('InvokeChaincode on the same channel', () => {
  it("runs the called chaincode and returns its answer to the caller (here egov's unknown-function error)", async () => {
    const msg = await failureOf(
      cc.evaluateTransaction('Invoke', c.net.chaincode.name, '["NoSuchFunctionForConformance"]'),
    );
    expect(msg).toMatch(/invoked chaincode answered 500: .*NoSuchFunctionForConformance/);
  });

  it('refuses a chaincode that is not defined', async () => {
    const msg = await failureOf(cc.evaluateTransaction('Invoke', 'nosuchchaincode', '["Get","k"]'));
    expect(msg).toMatch(/nosuchchaincode/);
  });
});

describe('rich queries', () => {
  it('fail clearly on LevelDB', async () => {
    const msg = await failureOf(cc.evaluateTransaction('RichQuery', '{"selector":{"a":1}}'));
    expect(msg).toContain('ExecuteQuery not supported for leveldb');
  });

  it("fail with the paginated call's text when a page size or bookmark is given", async () => {
    // fabric-samples' ledger-queries application stops here on a LevelDB peer.
    for (const [size, bookmark] of [
      ['1', ''],
      ['0', 'asset1'],
    ]) {
      const msg = await failureOf(
        cc.evaluateTransaction('RichQueryPage', '{"selector":{"a":1}}', size, bookmark),
      );
      expect(msg).toContain('ExecuteQueryWithMetadata not supported for leveldb');
    }
  });

  it("fail on a collection after its member check (ExecuteQuery's text)", async () => {
    const msg = await failureOf(
      cc.evaluateTransaction('RichQueryPrivate', 'ImmigrationHealth', '{"selector":{"a":1}}'),
    );
    expect(msg).toContain('ExecuteQuery not supported for leveldb');
  });
});
