/** The orderer's batch settings of a channel (channelconfig Bundle.orderer: BatchSize and BatchTimeout). */
export interface BatchConfig {
  batchTimeoutMs: number;
  maxMessageCount: number;
  absoluteMaxBytes: number;
  preferredMaxBytes: number;
}
