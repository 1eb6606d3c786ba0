import * as protos from '@hyperledger/fabric-protos';
import { installLazyProtos, PROTO_NAMESPACES } from './lazyprotos';

describe('installLazyProtos', () => {
  it('installs an index with the real one’s namespaces, each loaded when first read', () => {
    const cache: NodeJS.Dict<NodeModule> = {};
    expect(installLazyProtos(cache)).toBe(true);
    const index = require.resolve('@hyperledger/fabric-protos');
    const lazy = cache[index]!.exports as Record<string, unknown>;
    expect(Object.keys(lazy).sort()).toEqual(
      Object.keys(protos)
        .filter((k) => k !== '__esModule')
        .sort(),
    );
    expect([...PROTO_NAMESPACES].sort()).toEqual(Object.keys(lazy).sort());
    expect(Object.getOwnPropertyDescriptor(lazy, 'gossip')!.get).toBeDefined();
    expect(lazy.common).toBe(protos.common);
    expect(Object.getOwnPropertyDescriptor(lazy, 'common')!.value).toBe(protos.common);
    expect(Object.getOwnPropertyDescriptor(lazy, 'gossip')!.get).toBeDefined(); // still not loaded
    expect((lazy.orderer as typeof protos.orderer).DeliverResponse).toBe(protos.orderer.DeliverResponse);
  });

  it('leaves an index that is already loaded alone', () => {
    const index = require.resolve('@hyperledger/fabric-protos');
    const loaded = { exports: protos } as unknown as NodeModule;
    const cache: NodeJS.Dict<NodeModule> = { [index]: loaded };
    expect(installLazyProtos(cache)).toBe(false);
    expect(cache[index]).toBe(loaded);
  });
});
