import { common } from '@hyperledger/fabric-protos';
import { expiresAt } from '../common/deliver/expiresat';
import type { SignedData } from '../protoutil/signeddata';
import { readPayload, readSignatureHeader, type PayloadView } from '../protoutil/views';
import type { BatchConfig } from './batchsize';

/** A common.Status value. */
export type Status = common.StatusMap[keyof common.StatusMap];

/** The policy path normal messages must satisfy (fabric policies.ChannelWriters). */
export const CHANNEL_WRITERS = '/Channel/Writers';

/** A rejected message: the broadcast status and the info text Fabric sends with it. */
export class MsgProcessorError extends Error {
  constructor(
    message: string,
    readonly status: Status,
  ) {
    super(message);
    this.name = 'MsgProcessorError';
  }
}

/** How broadcast treats a message (fabric msgprocessor.Classification). */
export type Classification = 'normal' | 'configUpdate' | 'config' | 'unsupported';

/** Classifies by the channel header's type (fabric StandardChannel.ClassifyMsg). */
export function classifyMsg(type: number): Classification {
  switch (type) {
    case common.HeaderType.CONFIG_UPDATE:
      return 'configUpdate';
    case common.HeaderType.ORDERER_TRANSACTION:
      return 'unsupported';
    case common.HeaderType.CONFIG:
      return 'config';
    default:
      return 'normal';
  }
}

/** What the filters read of the channel; channelconfig's Bundle satisfies it. */
export interface ChannelResources {
  readonly channelId: string;
  /** The current channel config (what config updates are checked against). */
  readonly config: common.Config;
  readonly policies: { getPolicy(path: string): { evaluate(signedData: SignedData[]): void } | undefined };
  readonly orderer: BatchConfig;
}

/**
 * The checks a normal message must pass on an existing channel (fabric orderer/common/
 * msgprocessor: StandardChannel with EmptyRejectRule, size filter, expiration rule, SigFilter on
 * /Channel/Writers, in that order). Throws MsgProcessorError with Fabric's status and text.
 */
export class StandardChannel {
  constructor(
    private readonly resources: () => ChannelResources,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Throws unless `env` may be ordered on this channel.
   * @param payload `env`'s payload if the caller read it already
   */
  processNormalMsg(env: common.Envelope, payload?: PayloadView): void {
    const res = this.resources();
    if (env.getPayload_asU8().length === 0)
      throw new MsgProcessorError('Message was empty', common.Status.BAD_REQUEST);
    const size = env.getPayload_asU8().length + env.getSignature_asU8().length;
    if (size > res.orderer.absoluteMaxBytes) {
      throw new MsgProcessorError(
        `message payload is ${size} bytes and exceeds maximum allowed ${res.orderer.absoluteMaxBytes} bytes`,
        common.Status.BAD_REQUEST,
      );
    }
    const signedData = envelopeSignedData(env, payload);
    const expiry = expiresAt(signedData[0].identity);
    if (expiry && this.now().getTime() >= expiry.getTime()) {
      throw new MsgProcessorError('broadcast client identity expired', common.Status.BAD_REQUEST);
    }
    const policy = res.policies.getPolicy(CHANNEL_WRITERS);
    if (!policy)
      throw new MsgProcessorError(`could not find policy ${CHANNEL_WRITERS}`, common.Status.BAD_REQUEST);
    try {
      policy.evaluate(signedData);
    } catch (err) {
      throw new MsgProcessorError(`${(err as Error).message}: permission denied`, common.Status.FORBIDDEN);
    }
  }
}

/** The envelope as SignedData (fabric EnvelopeAsSignedData), or a BAD_REQUEST naming why not. */
function envelopeSignedData(env: common.Envelope, read?: PayloadView): SignedData[] {
  try {
    const payload = read ?? readPayload(env.getPayload_asU8());
    const header = payload.header;
    if (!header) throw new Error('Missing Header');
    const shdr = readSignatureHeader(header.signatureHeader);
    return [{ data: env.getPayload_asU8(), identity: shdr.creator, signature: env.getSignature_asU8() }];
  } catch (err) {
    throw new MsgProcessorError(
      `could not convert message to signedData: ${(err as Error).message}`,
      common.Status.BAD_REQUEST,
    );
  }
}
