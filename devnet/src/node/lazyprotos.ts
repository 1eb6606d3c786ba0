import Module, { createRequire } from 'node:module';

/** The namespaces `@hyperledger/fabric-protos`'s index exports (lib/index.js), each a folder of lib/. */
export const PROTO_NAMESPACES = [
  'common',
  'gossip',
  'peer',
  'discovery',
  'ledger',
  'gateway',
  'orderer',
  'transientstore',
  'msp',
  'google',
] as const;

/**
 * Makes `require('@hyperledger/fabric-protos')` in this process load each namespace on first use
 * rather than all ten at once: the index requires every generated module (gossip, discovery,
 * gateway, lifecycle and the rest), ~2 MB of source and several MB of compiled code and objects,
 * of which the orderer uses common, orderer, msp and peer. Compiled TypeScript reads
 * `fabric_protos_1.common.X` when it runs, so the getters load what is read and nothing else.
 * Does nothing if the index is already loaded (or outside Node's module cache, as under jest).
 * Call it before anything requires the package.
 * @returns whether the lazy index was installed
 */
export function installLazyProtos(cache: NodeJS.Dict<NodeModule> = require.cache): boolean {
  const index = require.resolve('@hyperledger/fabric-protos');
  if (cache[index]) return false;
  const load = createRequire(index); // requires relative to the index, as it does itself
  const lazy: Record<string, unknown> = {};
  Object.defineProperty(lazy, '__esModule', { value: true });
  for (const ns of PROTO_NAMESPACES) {
    Object.defineProperty(lazy, ns, {
      enumerable: true,
      configurable: true,
      get() {
        const value: unknown = load(`./${ns}`);
        Object.defineProperty(lazy, ns, { enumerable: true, value });
        return value;
      },
    });
  }
  const mod = new Module(index);
  mod.filename = index;
  mod.paths = [];
  mod.loaded = true;
  mod.exports = lazy;
  cache[index] = mod;
  return true;
}
