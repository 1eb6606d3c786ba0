import { common } from '@hyperledger/fabric-protos';
import { Bundle } from '../channelconfig/bundle';
import type { DeliverSupport } from '../common/deliver/deliver';
import { ConfigValidator } from '../configtx/validator';
import { createSignedEnvelope } from '../protoutil/txutils';
import type { BlockStore } from '../ledger/blockstore/blockstore';
import { BlockWriter, Signer } from './blockwriter';
import { Chain } from './chain';
import { ChannelResources, MsgProcessorError, StandardChannel } from './msgprocessor';
import { BlockResponses } from './wire';

/** The policy deliver clients of the orderer must satisfy (fabric policies.ChannelReaders). */
export const CHANNEL_READERS = '/Channel/Readers';

/**
 * Everything the orderer holds for one channel (fabric orderer/common/multichannel ChainSupport):
 * its config resources, block store, message processor and consenter chain.
 */
export class ChainSupport {
  readonly processor: StandardChannel;
  readonly chain: Chain;
  /** Deliver's encoded responses of the newest blocks, shared by every Deliver stream. */
  private readonly blockResponses: BlockResponses;

  /**
   * @param resources the channel's config (channelconfig Bundle), read on every message
   * @param store the channel's block store, holding at least the genesis block
   * @param signer the orderer's signing identity, for block signatures
   */
  constructor(
    public resources: ChannelResources,
    readonly store: BlockStore,
    private readonly signer: Signer,
  ) {
    this.processor = new StandardChannel(() => this.resources);
    this.chain = new Chain(resources.channelId, new BlockWriter(store, signer), () => this.resources.orderer);
    this.blockResponses = new BlockResponses((n) => store.getBlockBytes(n));
  }

  /**
   * Turns a CONFIG_UPDATE into the CONFIG envelope to order (fabric StandardChannel
   * ProcessConfigUpdateMsg): the message filters (size, expiry, /Channel/Writers), then configtx's
   * rules (read set versions, delta versions, each element's mod_policy signed by the update's
   * signatures), then the new config must make a valid Bundle; signed by this orderer.
   * @throws MsgProcessorError (BAD_REQUEST, FORBIDDEN) naming what failed.
   */
  processConfigUpdateMsg(env: common.Envelope): common.Envelope {
    try {
      this.processor.processNormalMsg(env);
    } catch (err) {
      const e = err as MsgProcessorError;
      throw new MsgProcessorError(
        `config update for existing channel did not pass initial checks: ${e.message}`,
        e.status,
      );
    }
    const { channelId } = this;
    let configEnv: common.ConfigEnvelope;
    try {
      configEnv = new ConfigValidator(
        channelId,
        this.resources.config,
        this.resources.policies,
      ).proposeConfigUpdate(env);
      new Bundle(channelId, configEnv.getConfig()!);
    } catch (err) {
      throw new MsgProcessorError(
        `error applying config update to existing channel '${channelId}': ${(err as Error).message}`,
        common.Status.BAD_REQUEST,
      );
    }
    return createSignedEnvelope({
      type: common.HeaderType.CONFIG,
      channelId,
      signer: this.signer,
      data: configEnv,
    });
  }

  /** Orders a CONFIG envelope in its own block; the channel's resources switch to it when the block is built. */
  configure(config: common.Envelope): Promise<void> {
    return this.chain.configure(config, (block) => {
      this.resources = Bundle.fromConfigBlock(block);
    });
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
      encodedBlockResponse: (n) => this.blockResponses.get(n),
    };
  }
}
