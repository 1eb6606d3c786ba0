import { common, peer } from '@hyperledger/fabric-protos';
import { invokeCscc } from './cscc';
import { invokeQscc, SccError, type QsccLedger } from './qscc';

function block(n: number, prev: Uint8Array): common.Block {
  const b = new common.Block();
  const h = new common.BlockHeader();
  h.setNumber(n);
  h.setPreviousHash(prev);
  b.setHeader(h);
  b.setData(new common.BlockData());
  return b;
}

const b0 = block(0, new Uint8Array());
const b1 = block(1, Buffer.from('hash0'));
const env = new common.Envelope();
env.setPayload(Buffer.from('p'));

/** A two-block ledger holding one transaction `tx1` (MVCC_READ_CONFLICT) in block 1. */
const ledgerOf: QsccLedger = {
  height: () => 2,
  lastBlock: () => b1,
  currentBlockHash: () => Buffer.from('hash1'),
  getBlock: async (n: number) => [b0, b1][n],
  getBlockByHash: async (h: Uint8Array) => (Buffer.from(h).toString() === 'hash0' ? b0 : undefined),
  getBlockByTxId: async (id: string) => (id === 'tx1' ? b1 : undefined),
  getTxById: async (id: string) => (id === 'tx1' ? env : undefined),
  getTxLocation: async (id: string) =>
    id === 'tx1'
      ? { blockNumber: 1, txNumber: 0, validationCode: peer.TxValidationCode.MVCC_READ_CONFLICT }
      : undefined,
} as unknown as QsccLedger;

const args = (...a: string[]): Uint8Array[] => a.map((s) => Buffer.from(s));

describe('qscc', () => {
  it('answers GetChainInfo with the height and the current and previous block hashes', async () => {
    const info = common.BlockchainInfo.deserializeBinary(
      await invokeQscc('GetChainInfo', args('GetChainInfo', 'ch'), ledgerOf),
    );
    expect(info.getHeight()).toBe(2);
    expect(Buffer.from(info.getCurrentblockhash_asU8()).toString()).toBe('hash1');
    expect(Buffer.from(info.getPreviousblockhash_asU8()).toString()).toBe('hash0');
  });

  it('finds blocks by number (MaxUint64 = the last), by hash and by transaction id', async () => {
    expect(
      common.Block.deserializeBinary(
        await invokeQscc('GetBlockByNumber', args('GetBlockByNumber', 'ch', '0'), ledgerOf),
      )
        .getHeader()!
        .getNumber(),
    ).toBe(0);
    expect(
      common.Block.deserializeBinary(
        await invokeQscc(
          'GetBlockByNumber',
          args('GetBlockByNumber', 'ch', '18446744073709551615'),
          ledgerOf,
        ),
      )
        .getHeader()!
        .getNumber(),
    ).toBe(1);
    expect(
      common.Block.deserializeBinary(
        await invokeQscc(
          'GetBlockByHash',
          [Buffer.from('GetBlockByHash'), Buffer.from('ch'), Buffer.from('hash0')],
          ledgerOf,
        ),
      )
        .getHeader()!
        .getNumber(),
    ).toBe(0);
    expect(
      common.Block.deserializeBinary(
        await invokeQscc('GetBlockByTxID', args('GetBlockByTxID', 'ch', 'tx1'), ledgerOf),
      )
        .getHeader()!
        .getNumber(),
    ).toBe(1);
  });

  it('returns a transaction with its validation code', async () => {
    const pt = peer.ProcessedTransaction.deserializeBinary(
      await invokeQscc('GetTransactionByID', args('GetTransactionByID', 'ch', 'tx1'), ledgerOf),
    );
    expect(pt.getValidationcode()).toBe(peer.TxValidationCode.MVCC_READ_CONFLICT);
    expect(Buffer.from(pt.getTransactionenvelope()!.getPayload_asU8()).toString()).toBe('p');
  });

  it("fails with Fabric's messages", async () => {
    await expect(
      invokeQscc('GetBlockByNumber', args('GetBlockByNumber', 'ch', '7'), ledgerOf),
    ).rejects.toThrow('Failed to get block number 7, error no such block number [7] in index');
    await expect(
      invokeQscc('GetBlockByNumber', args('GetBlockByNumber', 'ch', 'x'), ledgerOf),
    ).rejects.toThrow(/Failed to parse block number/);
    await expect(
      invokeQscc('GetTransactionByID', args('GetTransactionByID', 'ch', 'nope'), ledgerOf),
    ).rejects.toThrow('Failed to get transaction with id nope, error no such transaction ID [nope] in index');
    await expect(
      invokeQscc('GetTransactionByID', args('GetTransactionByID', 'ch', ''), ledgerOf),
    ).rejects.toThrow('Transaction ID must not be nil.');
    await expect(invokeQscc('Nope', args('Nope', 'ch', 'x'), ledgerOf)).rejects.toThrow(SccError);
  });
});

describe('cscc', () => {
  const config = new common.Config();
  config.setSequence(3);
  const channels = [{ channelId: 'ch', config, store: ledgerOf }];

  it('returns the channel config and the joined channels', async () => {
    expect(
      common.Config.deserializeBinary(
        await invokeCscc('GetChannelConfig', args('GetChannelConfig', 'ch'), channels),
      ).getSequence(),
    ).toBe(3);
    const list = peer.ChannelQueryResponse.deserializeBinary(
      await invokeCscc('GetChannels', args('GetChannels'), channels),
    );
    expect(list.getChannelsList().map((c) => c.getChannelId())).toEqual(['ch']);
  });

  it("refuses an unknown channel, an empty name, and joining a channel the peer already has, with Fabric's messages", async () => {
    await expect(invokeCscc('GetChannelConfig', args('GetChannelConfig', 'zz'), channels)).rejects.toThrow(
      'unknown channel ID, zz',
    );
    await expect(invokeCscc('GetChannelConfig', args('GetChannelConfig', ''), channels)).rejects.toThrow(
      'empty channel name provided',
    );
    const chdr = new common.ChannelHeader();
    chdr.setChannelId('ch');
    const hdr = new common.Header();
    hdr.setChannelHeader(chdr.serializeBinary());
    const payload = new common.Payload();
    payload.setHeader(hdr);
    const e = new common.Envelope();
    e.setPayload(payload.serializeBinary());
    const genesis = block(0, new Uint8Array());
    genesis.getData()!.setDataList([e.serializeBinary()]);
    await expect(
      invokeCscc('JoinChain', [Buffer.from('JoinChain'), genesis.serializeBinary()], channels),
    ).rejects.toThrow(
      'cannot create ledger from genesis block: ledger [ch] already exists with state [ACTIVE]',
    );
  });
});
