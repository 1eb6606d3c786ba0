/** The ordering service (fabric orderer/common/{broadcast,blockcutter,msgprocessor,multichannel}, solo-like consenter). */
export type { BatchConfig } from './batchsize';
export { BlockCutter } from './blockcutter';
export { BlockWriter } from './blockwriter';
export type { Signer } from './blockwriter';
export { Chain } from './chain';
export { ChainSupport, CHANNEL_READERS } from './chainsupport';
export { StandardChannel, MsgProcessorError, classifyMsg, CHANNEL_WRITERS } from './msgprocessor';
export type { ChannelResources, Classification } from './msgprocessor';
export { Registrar } from './registrar';
export { BroadcastHandler, broadcastResponse } from './broadcast';
export { addAtomicBroadcastService } from './server';
