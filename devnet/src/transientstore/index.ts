/** The peer's transient store of endorsed, not yet committed private write sets (Fabric's core/transientstore). */
export { TransientStore, DEFAULT_MAX_BLOCK_RETENTION } from './transientstore';
