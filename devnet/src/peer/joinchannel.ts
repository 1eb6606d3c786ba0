import * as fs from 'node:fs';
import { common } from '@hyperledger/fabric-protos';
import { Bundle } from '../channelconfig';
import type { BlockStore } from '../ledger/blockstore';
import { getLastConfigIndexFromBlock } from '../protoutil';

/** Reads the channel's genesis block file (a serialized common.Block) and checks it is block 0 of `channelId`. */
export function readGenesisBlock(file: string, channelId: string): { block: common.Block; bundle: Bundle } {
  let block: common.Block;
  try {
    block = common.Block.deserializeBinary(fs.readFileSync(file));
  } catch (e) {
    throw new Error(`cannot read genesis block ${file}: ${(e as Error).message}`);
  }
  if (block.getHeader()?.getNumber() !== 0)
    throw new Error(`${file} is not a genesis block: number ${block.getHeader()?.getNumber()}`);
  const bundle = Bundle.fromConfigBlock(block);
  if (bundle.channelId !== channelId)
    throw new Error(`${file} is the genesis block of channel ${bundle.channelId}, not ${channelId}`);
  return { block, bundle };
}

/**
 * The Bundle of a channel the peer already joined: from the last config block the chain points to
 * (fabric: the peer rebuilds channel config from its ledger on restart).
 */
export async function bundleFromLedger(store: BlockStore): Promise<Bundle> {
  const last = store.lastBlock();
  if (!last) throw new Error('the block store is empty: join the channel first');
  let index = 0;
  try {
    index = getLastConfigIndexFromBlock(last);
  } catch {
    // A block without orderer metadata (the genesis block itself) points to block 0.
  }
  const configBlock = await store.getBlock(index);
  if (!configBlock) throw new Error(`config block ${index} missing from the block store`);
  return Bundle.fromConfigBlock(configBlock);
}
