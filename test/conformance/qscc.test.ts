import { common, peer } from '@hyperledger/fabric-protos';
import type { LegacyClient } from '../support/legacy';
import { closeAdmins, connectAdmins, sccQuery } from './lifecyclesupport';
import { conformanceNetwork, errorText, uniqueKey, type GatewayConnection } from './support';

// The peer's ledger and configuration queries, as explorers and `peer channel getinfo / fetch / list`
// use them: qscc GetChainInfo, GetBlockByNumber, GetBlockByHash, GetTransactionByID, GetBlockByTxID
// (channel Readers), cscc GetChannelConfig (channel Readers) and GetChannels (local members).
describe('qscc and cscc', () => {
  const c = conformanceNetwork();
  const [A, B] = c.mspIds;
  let gw: GatewayConnection;
  let admins: Map<string, LegacyClient>;

  beforeAll(async () => {
    gw = c.gateway(A);
    admins = await connectAdmins(c);
  });
  afterAll(() => {
    gw.close();
    closeAdmins(admins);
  });

  const qscc = () => gw.gateway.getNetwork(c.channel).getContract('qscc');

  async function evaluate(fn: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> {
    try {
      return await qscc().evaluate(fn, { arguments: [c.channel, ...args] });
    } catch (err) {
      throw new Error(errorText(err));
    }
  }

  it('reports the chain height and the hashes of the last two blocks, which GetBlockByHash finds', async () => {
    const info = common.BlockchainInfo.deserializeBinary(await evaluate('GetChainInfo'));
    expect(info.getHeight()).toBeGreaterThan(1);
    const last = common.Block.deserializeBinary(
      await evaluate('GetBlockByHash', info.getCurrentblockhash_asU8()),
    );
    expect(last.getHeader()!.getNumber()).toBeGreaterThanOrEqual(info.getHeight() - 1);
    const previous = common.Block.deserializeBinary(
      await evaluate('GetBlockByHash', info.getPreviousblockhash_asU8()),
    );
    expect(previous.getHeader()!.getNumber()).toBe(last.getHeader()!.getNumber() - 1);
    expect(Buffer.from(last.getHeader()!.getPreviousHash_asU8())).toEqual(
      Buffer.from(info.getPreviousblockhash_asU8()),
    );
  });

  it("returns the genesis block (a CONFIG transaction) by number, and Fabric's error for a block beyond the height", async () => {
    const genesis = common.Block.deserializeBinary(await evaluate('GetBlockByNumber', '0'));
    expect(genesis.getHeader()!.getNumber()).toBe(0);
    const env = common.Envelope.deserializeBinary(genesis.getData()!.getDataList_asU8()[0]);
    const chdr = common.ChannelHeader.deserializeBinary(
      common.Payload.deserializeBinary(env.getPayload_asU8()).getHeader()!.getChannelHeader_asU8(),
    );
    expect(chdr.getType()).toBe(common.HeaderType.CONFIG);
    expect(chdr.getChannelId()).toBe(c.channel);

    const info = common.BlockchainInfo.deserializeBinary(await evaluate('GetChainInfo'));
    const beyond = String(info.getHeight() + 1000);
    await expect(evaluate('GetBlockByNumber', beyond)).rejects.toThrow(
      new RegExp(`Failed to get block number ${beyond}`),
    );
  });

  it('finds a committed transaction by id with its validation code, and the block holding it', async () => {
    const contract = c.contract(gw);
    const key = uniqueKey('qscc');
    const submitted = await contract.submitAsync('Put', { arguments: [key, 'v'] });
    const status = await submitted.getStatus();
    expect(status.successful).toBe(true);
    const txId = submitted.getTransactionId();

    const pt = peer.ProcessedTransaction.deserializeBinary(await evaluate('GetTransactionByID', txId));
    expect(pt.getValidationcode()).toBe(peer.TxValidationCode.VALID);
    const payload = common.Payload.deserializeBinary(pt.getTransactionenvelope()!.getPayload_asU8());
    expect(
      common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8()).getTxId(),
    ).toBe(txId);

    const block = common.Block.deserializeBinary(await evaluate('GetBlockByTxID', txId));
    expect(BigInt(block.getHeader()!.getNumber())).toBe(status.blockNumber);
    const byNumber = common.Block.deserializeBinary(
      await evaluate('GetBlockByNumber', String(status.blockNumber)),
    );
    expect(Buffer.from(byNumber.serializeBinary())).toEqual(Buffer.from(block.serializeBinary()));

    await expect(evaluate('GetTransactionByID', 'f'.repeat(64))).rejects.toThrow(
      /Failed to get transaction with id f{64}/,
    );
  });

  it('answers GetChainInfo to the peer CLI path (fabric-common) and refuses an unknown channel', async () => {
    const r = await sccQuery(admins.get(B)!, c.channel, B, 'qscc', ['GetChainInfo', c.channel]);
    expect(r.status).toBe(200);
    expect(common.BlockchainInfo.deserializeBinary(r.payload).getHeight()).toBeGreaterThan(0);
    const unknown = await sccQuery(admins.get(B)!, c.channel, B, 'qscc', ['GetChainInfo', 'nosuchchannel']);
    expect(unknown.status).toBe(500);
    expect(unknown.message).toBe('Invalid chain ID, nosuchchannel');
  });

  it('gives the channel config to channel readers (cscc GetChannelConfig) and lists joined channels (GetChannels)', async () => {
    const r = await sccQuery(admins.get(A)!, '', A, 'cscc', ['GetChannelConfig', c.channel]);
    expect(r.message).toBe('');
    expect(r.status).toBe(200);
    const config = common.Config.deserializeBinary(r.payload);
    const orgs = [...config.getChannelGroup()!.getGroupsMap().get('Application')!.getGroupsMap().keys()];
    expect(orgs.length).toBe(c.mspIds.length);

    const list = await sccQuery(admins.get(A)!, '', A, 'cscc', ['GetChannels']);
    expect(list.status).toBe(200);
    expect(
      peer.ChannelQueryResponse.deserializeBinary(list.payload)
        .getChannelsList()
        .map((ch) => ch.getChannelId()),
    ).toContain(c.channel);

    const missing = await sccQuery(admins.get(A)!, '', A, 'cscc', ['GetChannelConfig', 'nosuchchannel']);
    expect(missing.status).toBe(500);
  });
});
