import type { DeliverSupport } from '../common/deliver/deliver';
import type { BlockStore } from '../ledger/blockstore/blockstore';
import { BlockWriter, Signer } from './blockwriter';
import { Chain } from './chain';
import { ChannelResources, StandardChannel } from './msgprocessor';

/** The policy deliver clients of the orderer must satisfy (fabric policies.ChannelReaders). */
export const CHANNEL_READERS = '/Channel/Readers';

/**
 * Everything the orderer holds for one channel (fabric orderer/common/multichannel ChainSupport):
 * its config resources, block store, message processor and consenter chain.
 */
export class ChainSupport {
  readonly processor: StandardChannel;
  readonly chain: Chain;

  /**
   * @param resources the channel's config (channelconfig Bundle), read on every message
   * @param store the channel's block store, holding at least the genesis block
   * @param signer the orderer's signing identity, for block signatures
   */
  constructor(
    public resources: ChannelResources,
    readonly store: BlockStore,
    signer: Signer,
  ) {
    this.processor = new StandardChannel(() => this.resources);
    this.chain = new Chain(resources.channelId, new BlockWriter(store, signer), () => this.resources.orderer);
  }

  /** The channel's name. */
  get channelId(): string {
    return this.resources.channelId;
  }

  /** What the deliver handler needs, checking `/Channel/Readers`. */
  deliverSupport(): DeliverSupport {
    return {
      channelId: this.channelId,
      store: this.store,
      policies: this.resources.policies,
      readersPolicy: CHANNEL_READERS,
    };
  }
}
