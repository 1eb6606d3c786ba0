import { MALLOC_TUNABLES, NODE_OPTIONS, nodeRuntime } from './noderuntime';

describe('nodeRuntime', () => {
  it.each(['orderer', 'peer'])('runs the %s with the V8 options and the malloc settings', (kind) => {
    expect(nodeRuntime(kind, {})).toEqual({
      nodeOptions: [...NODE_OPTIONS],
      env: { GLIBC_TUNABLES: MALLOC_TUNABLES },
    });
  });

  it.each(['ca', 'chaincode'])("runs a %s with Node's defaults", (kind) => {
    expect(nodeRuntime(kind, {})).toEqual({ nodeOptions: [], env: {} });
  });

  it("keeps the caller's own GLIBC_TUNABLES (startProcess passes the caller's environment on)", () => {
    expect(nodeRuntime('peer', { GLIBC_TUNABLES: 'glibc.malloc.arena_max=1' }).env).toEqual({});
  });

  it('fixes both thresholds at 128 KiB and caps the arenas at two, in glibc tunable syntax', () => {
    const settings = Object.fromEntries(MALLOC_TUNABLES.split(':').map((t) => t.split('=')));
    expect(settings).toEqual({
      'glibc.malloc.mmap_threshold': '131072',
      'glibc.malloc.trim_threshold': '131072',
      'glibc.malloc.arena_max': '2',
    });
  });
});
