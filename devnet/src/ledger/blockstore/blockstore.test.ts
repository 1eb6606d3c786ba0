import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, peer } from '@hyperledger/fabric-protos';
import { blockDataHash, blockHeaderHash, newBlock } from '../../protoutil/blockutils';
import { BlockFile } from './blockfile';
import { BLOCK_FILE_NAME, BlockStore } from './blockstore';

function envelope(txId: string): Uint8Array {
  const chdr = new common.ChannelHeader();
  chdr.setType(common.HeaderType.ENDORSER_TRANSACTION);
  chdr.setChannelId('egov');
  chdr.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(chdr.serializeBinary());
  header.setSignatureHeader(new common.SignatureHeader().serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  env.setSignature(Uint8Array.of(1, 2, 3));
  return env.serializeBinary();
}

/** Block `number` on top of `prev`, holding the given tx ids, with an optional TRANSACTIONS_FILTER. */
function makeBlock(
  number: number,
  prev: common.Block | undefined,
  txIds: string[],
  filter?: number[],
): common.Block {
  const block = newBlock(number, prev ? blockHeaderHash(prev.getHeader()!) : new Uint8Array(0));
  block.getData()!.setDataList(txIds.map(envelope));
  block.getHeader()!.setDataHash(blockDataHash(block.getData()!));
  if (filter) {
    const md = block.getMetadata()!.getMetadataList_asU8();
    md[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(filter);
    block.getMetadata()!.setMetadataList(md);
  }
  return block;
}

async function appendChain(store: BlockStore, count: number): Promise<common.Block[]> {
  const blocks: common.Block[] = [];
  for (let n = 0; n < count; n++) {
    const b = makeBlock(n, blocks[n - 1], [`tx${n}a`, `tx${n}b`], [0, 11]);
    await store.append(b);
    blocks.push(b);
  }
  return blocks;
}

describe('BlockStore', () => {
  let dir: string;
  let store: BlockStore | undefined;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blockstore-'));
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('appends blocks and serves them by number, hash and tx id', async () => {
    store = await BlockStore.open(dir);
    expect(store.height()).toBe(0);
    expect(store.lastBlock()).toBeUndefined();
    const blocks = await appendChain(store, 3);

    expect(store.height()).toBe(3);
    expect(store.lastBlock()!.getHeader()!.getNumber()).toBe(2);
    // The tip is the store's own copy of the block as written, not the caller's object.
    expect(store.lastBlock()).not.toBe(blocks[2]);
    expect(store.lastBlock()).toBe(store.lastBlock());
    expect(store.lastBlock()!.serializeBinary()).toEqual(await store.getBlockBytes(2));
    expect(store.currentBlockHash()).toEqual(blockHeaderHash(blocks[2].getHeader()!));
    expect((await store.getBlock(1))!.serializeBinary()).toEqual(blocks[1].serializeBinary());
    expect(await store.getBlock(3)).toBeUndefined();
    expect(await store.getBlock(-1)).toBeUndefined();
    const byHash = await store.getBlockByHash(blockHeaderHash(blocks[2].getHeader()!));
    expect(byHash!.getHeader()!.getNumber()).toBe(2);
    expect(await store.getBlockByHash(new Uint8Array(32))).toBeUndefined();

    expect(await store.getTxLocation('tx1b')).toEqual({
      blockNumber: 1,
      txNumber: 1,
      validationCode: peer.TxValidationCode.MVCC_READ_CONFLICT,
    });
    expect(await store.getTxLocation('tx0a')).toEqual({ blockNumber: 0, txNumber: 0, validationCode: 0 });
    expect(await store.getTxLocation('nope')).toBeUndefined();
    expect((await store.getBlockByTxId('tx2a'))!.getHeader()!.getNumber()).toBe(2);
    const env = await store.getTxById('tx2b');
    expect(env!.serializeBinary()).toEqual(envelope('tx2b'));
  });

  it('indexes block numbers only when asked to, as the orderer does, across reopen and recovery', async () => {
    store = await BlockStore.open(dir, { blockNumbersOnly: true });
    const blocks = await appendChain(store, 2);
    expect((await store.getBlock(1))!.serializeBinary()).toEqual(blocks[1].serializeBinary());
    await expect(store.getTxLocation('tx1a')).rejects.toThrow('transaction ids are not indexed');
    await expect(store.getBlockByHash(blockHeaderHash(blocks[1].getHeader()!))).rejects.toThrow(
      'block hashes are not indexed',
    );
    await store.close();
    // A crash after block 2 reached the file but before the index was updated.
    const file = await BlockFile.open(path.join(dir, BLOCK_FILE_NAME));
    const b2 = makeBlock(2, blocks[1], ['late'], [0]);
    await file.append(b2.serializeBinary());
    await file.close();
    store = await BlockStore.open(dir, { blockNumbersOnly: true });
    expect(store.height()).toBe(3);
    expect((await store.getBlock(2))!.serializeBinary()).toEqual(b2.serializeBinary());
    await store.close();
    // The same files opened with the full index: no tx id or hash was indexed.
    store = await BlockStore.open(dir);
    expect(await store.getTxLocation('tx1a')).toBeUndefined();
    expect(await store.getBlockByHash(blockHeaderHash(blocks[1].getHeader()!))).toBeUndefined();
  });

  it('keeps as many blocks as asked in its cache and reads the others from the file', async () => {
    store = await BlockStore.open(dir, { cacheBlocks: 1 });
    const blocks = await appendChain(store, 3);
    const newest = await store.getBlockBytes(2);
    expect(await store.getBlockBytes(2)).toBe(newest); // the cached bytes
    const first = await store.getBlockBytes(0);
    expect(await store.getBlockBytes(0)).not.toBe(first); // read again: not cached
    expect(Buffer.from(first!).equals(Buffer.from(blocks[0].serializeBinary()))).toBe(true);
  });

  it('refuses a block with the wrong number or previous hash', async () => {
    store = await BlockStore.open(dir);
    const blocks = await appendChain(store, 2);
    await expect(store.append(makeBlock(5, blocks[1], ['x']))).rejects.toThrow(
      'block number should have been 2 but was 5',
    );
    const wrongPrev = makeBlock(2, blocks[0], ['x']);
    await expect(store.append(wrongPrev)).rejects.toThrow(/unexpected Previous block hash/);
    expect(store.height()).toBe(2);
    await store.append(makeBlock(2, blocks[1], ['x']));
    expect(store.height()).toBe(3);
  });

  it('keeps the first occurrence of a reused tx id and marks unfiltered blocks NOT_VALIDATED', async () => {
    store = await BlockStore.open(dir);
    const b0 = makeBlock(0, undefined, ['dup', 'dup'], [0, peer.TxValidationCode.DUPLICATE_TXID]);
    await store.append(b0);
    const b1 = makeBlock(1, b0, ['dup', 'fresh']);
    await store.append(b1);
    expect(await store.getTxLocation('dup')).toEqual({ blockNumber: 0, txNumber: 0, validationCode: 0 });
    expect(await store.getTxLocation('fresh')).toEqual({
      blockNumber: 1,
      txNumber: 1,
      validationCode: peer.TxValidationCode.NOT_VALIDATED,
    });
  });

  it('finds a tx id once its block is indexed, though it was looked up (absent) before', async () => {
    store = await BlockStore.open(dir);
    const b0 = makeBlock(0, undefined, ['early'], [0]);
    await store.append(b0);
    expect(await store.getTxLocation('later')).toBeUndefined(); // remembered as absent
    const [during] = await Promise.all([
      store.getTxLocation('later'),
      store.append(makeBlock(1, b0, ['early', 'later'], [peer.TxValidationCode.DUPLICATE_TXID, 0])),
    ]);
    expect([undefined, 1]).toContain(during?.blockNumber);
    expect(await store.getTxLocation('later')).toEqual({ blockNumber: 1, txNumber: 1, validationCode: 0 });
    // The duplicate kept its first occurrence, though the cache knew it.
    expect(await store.getTxLocation('early')).toEqual({ blockNumber: 0, txNumber: 0, validationCode: 0 });
  });

  it('is durable across close and reopen', async () => {
    store = await BlockStore.open(dir);
    const blocks = await appendChain(store, 4);
    await store.close();
    store = await BlockStore.open(dir);
    expect(store.height()).toBe(4);
    expect(store.lastBlock()!.serializeBinary()).toEqual(blocks[3].serializeBinary());
    expect(store.currentBlockHash()).toEqual(blockHeaderHash(blocks[3].getHeader()!));
    expect((await store.getTxLocation('tx3a'))!.blockNumber).toBe(3);
    await store.append(makeBlock(4, blocks[3], ['next']));
    expect(store.height()).toBe(5);
  });

  it('truncates a torn last record on reopen', async () => {
    store = await BlockStore.open(dir);
    const blocks = await appendChain(store, 3);
    await store.close();
    store = undefined;
    const file = path.join(dir, BLOCK_FILE_NAME);
    const goodSize = fs.statSync(file).size;
    // A crash in the middle of writing block 3: its header says 500 bytes, only 10 made it.
    const torn = Buffer.alloc(18);
    torn.writeUInt32BE(500, 0);
    fs.appendFileSync(file, torn);

    store = await BlockStore.open(dir);
    expect(store.height()).toBe(3);
    expect(fs.statSync(file).size).toBe(goodSize);
    await store.append(makeBlock(3, blocks[2], ['after-crash']));
    expect((await store.getBlock(3))!.getHeader()!.getNumber()).toBe(3);
  });

  it('indexes whole records written after the last index savepoint', async () => {
    store = await BlockStore.open(dir);
    const blocks = await appendChain(store, 2);
    await store.close();
    store = undefined;
    // A crash after the block reached the file but before the index was updated.
    const file = await BlockFile.open(path.join(dir, BLOCK_FILE_NAME));
    const b2 = makeBlock(2, blocks[1], ['late'], [0]);
    await file.append(b2.serializeBinary());
    await file.close();

    store = await BlockStore.open(dir);
    expect(store.height()).toBe(3);
    expect(await store.getTxLocation('late')).toEqual({ blockNumber: 2, txNumber: 0, validationCode: 0 });
    expect(store.currentBlockHash()).toEqual(blockHeaderHash(b2.getHeader()!));
  });

  it('refuses to open when the block file is shorter than its index', async () => {
    store = await BlockStore.open(dir);
    await appendChain(store, 2);
    await store.close();
    store = undefined;
    fs.truncateSync(path.join(dir, BLOCK_FILE_NAME), 10);
    await expect(BlockStore.open(dir)).rejects.toThrow(/index covers/);
  });

  it('wakes height waiters on append and honours abort signals', async () => {
    store = await BlockStore.open(dir);
    const reached = store.waitForHeight(2);
    const ac = new AbortController();
    const aborted = store.waitForHeight(10, ac.signal);
    let done = false;
    void reached.then(() => (done = true));
    const b0 = makeBlock(0, undefined, ['a']);
    await store.append(b0);
    await Promise.resolve();
    expect(done).toBe(false);
    await store.append(makeBlock(1, b0, ['b']));
    await reached;
    ac.abort();
    await expect(aborted).rejects.toThrow(/aborted/);
    await expect(store.waitForHeight(1)).resolves.toBeUndefined();
  });

  it('rejects waiters and appends once closed', async () => {
    store = await BlockStore.open(dir);
    const pending = expect(store.waitForHeight(1)).rejects.toThrow(/closed/);
    await store.close();
    await pending;
    await expect(store.append(makeBlock(0, undefined, ['a']))).rejects.toThrow(/closed/);
    store = undefined;
  });
});
