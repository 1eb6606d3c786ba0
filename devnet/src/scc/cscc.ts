import { common, peer } from '@hyperledger/fabric-protos';
import { getChannelIdFromBlock, getLastConfigIndexFromBlock } from '../protoutil';
import { SccError, type QsccLedger } from './qscc';

/** A joined channel as cscc sees it. */
export interface CsccChannel {
  channelId: string;
  config: common.Config;
  store: QsccLedger;
}

/**
 * Runs one cscc function (Fabric's PeerConfiger.InvokeNoShim after its ACL check) and returns the
 * marshaled result; throws {@link SccError} with Fabric's messages. devnet peers join their one channel
 * from the genesis block at start, so JoinChain of that channel answers as Fabric does for a ledger
 * that already exists.
 */
export async function invokeCscc(
  fname: string,
  args: Uint8Array[],
  channels: CsccChannel[],
): Promise<Uint8Array> {
  const find = (id: string): CsccChannel => {
    const ch = channels.find((c) => c.channelId === id);
    if (!ch) throw new SccError(`unknown channel ID, ${id}`);
    return ch;
  };
  switch (fname) {
    case 'GetChannelConfig': {
      const id = Buffer.from(args[1] ?? new Uint8Array()).toString();
      if (id === '') throw new SccError('empty channel name provided');
      return find(id).config.serializeBinary();
    }
    case 'GetConfigBlock': {
      const ch = find(Buffer.from(args[1] ?? new Uint8Array()).toString());
      const last = ch.store.lastBlock();
      const block = last && (await ch.store.getBlock(getLastConfigIndexFromBlock(last)));
      if (!block) throw new SccError(`failed to get config block for channel ${ch.channelId}`);
      return block.serializeBinary();
    }
    case 'GetChannels': {
      const r = new peer.ChannelQueryResponse();
      r.setChannelsList(
        channels.map((c) => {
          const info = new peer.ChannelInfo();
          info.setChannelId(c.channelId);
          return info;
        }),
      );
      return r.serializeBinary();
    }
    case 'JoinChain': {
      if (!args[1] || args[1].length === 0)
        throw new SccError('Cannot join the channel <nil> configuration block provided');
      let block: common.Block;
      try {
        block = common.Block.deserializeBinary(args[1]);
      } catch (err) {
        throw new SccError(`Failed to reconstruct the genesis block, ${(err as Error).message}`);
      }
      const id = channelIdOf(block);
      if (channels.some((c) => c.channelId === id))
        throw new SccError(
          `cannot create ledger from genesis block: ledger [${id}] already exists with state [ACTIVE]`,
        );
      throw new SccError(
        `"JoinChain" for channelID = ${id} failed: a devnet peer serves only the channel it was started with`,
      );
    }
    default:
      throw new SccError(`Requested function ${fname} not found.`);
  }
}

/** The channel id in a block's first envelope (Fabric's GetChannelIDFromBlock). */
export function channelIdOf(block: common.Block): string {
  try {
    return getChannelIdFromBlock(block);
  } catch (err) {
    throw new SccError(
      `"JoinChain" request failed to extract channel id from the block due to [${(err as Error).message}]`,
    );
  }
}
