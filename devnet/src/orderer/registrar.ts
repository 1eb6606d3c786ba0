import { common } from '@hyperledger/fabric-protos';
import type { DeliverSupport } from '../common/deliver/deliver';
import { readChannelHeader, readPayload, type ChannelHeaderView, type PayloadView } from '../protoutil/views';
import type { ChainSupport } from './chainsupport';
import { classifyMsg, MsgProcessorError } from './msgprocessor';

/** A message's channel header, the channel that takes it and how (fabric BroadcastChannelSupport). */
export interface BroadcastTarget {
  /** The envelope's payload, read once (a view over the bytes as received) for every check that reads it. */
  payload: PayloadView;
  chdr: ChannelHeaderView;
  support: ChainSupport;
  /** A CONFIG_UPDATE becomes a CONFIG block; anything else is ordered as is. */
  isConfig: boolean;
}

/**
 * The orderer's channels by name (fabric orderer/common/multichannel Registrar): broadcast looks
 * up the channel a message is for, deliver the channel a SeekInfo names.
 */
export class Registrar {
  private readonly chains = new Map<string, ChainSupport>();

  /** Adds a channel; throws if it is already there. */
  add(support: ChainSupport): void {
    if (this.chains.has(support.channelId)) throw new Error(`channel ${support.channelId} already exists`);
    this.chains.set(support.channelId, support);
  }

  /** The channel named `channelId`, if the orderer has it. */
  getChain(channelId: string): ChainSupport | undefined {
    return this.chains.get(channelId);
  }

  /** All channels. */
  channels(): ChainSupport[] {
    return [...this.chains.values()];
  }

  /** Deliver's lookup of a channel by name. */
  deliverLookup(): (channelId: string) => DeliverSupport | undefined {
    return (channelId) => this.chains.get(channelId)?.deliverSupport();
  }

  /**
   * The channel header of a broadcast message and the channel to order it on; throws
   * MsgProcessorError (BAD_REQUEST, Fabric's texts) when the header cannot be read, the channel
   * does not exist, or the message is of a type broadcast does not take.
   */
  broadcastChannelSupport(env: common.Envelope): BroadcastTarget {
    const { payload, chdr } = channelHeader(env);
    const support = this.chains.get(chdr.channelId);
    // Fabric 3 answers BAD_REQUEST here too: channels are created by channel participation only.
    if (!support) throw new MsgProcessorError('channel does not exist', common.Status.BAD_REQUEST);
    switch (classifyMsg(chdr.type)) {
      case 'configUpdate':
        return { payload, chdr, support, isConfig: true };
      case 'config':
        throw new MsgProcessorError(
          'message is of type that cannot be processed directly',
          common.Status.BAD_REQUEST,
        );
      case 'unsupported':
        throw new MsgProcessorError(
          'message is of type that is no longer supported',
          common.Status.BAD_REQUEST,
        );
      default:
        return { payload, chdr, support, isConfig: false };
    }
  }
}

/**
 * The payload and channel header of an envelope (fabric protoutil.ChannelHeader), errors prefixed as
 * broadcast does. Read as views (protoutil/views): no message objects per Broadcast message.
 */
function channelHeader(env: common.Envelope): { payload: PayloadView; chdr: ChannelHeaderView } {
  try {
    const payload = readPayload(env.getPayload_asU8());
    const header = payload.header;
    if (!header) throw new Error('header not set');
    if (header.channelHeader.length === 0) throw new Error('channel header not set');
    return { payload, chdr: readChannelHeader(header.channelHeader) };
  } catch (err) {
    throw new MsgProcessorError(
      `could not determine channel ID: ${(err as Error).message}`,
      common.Status.BAD_REQUEST,
    );
  }
}
