import type { GatewayChannel, RemoteEndorser } from './deps';
import { Registry } from './registry';

function channelOf(orgs: string[]): GatewayChannel {
  return {
    bundle: {
      channelId: 'egov',
      msps: { deserializeIdentity: () => ({ mspId: '', id: '', satisfiesPrincipal: () => undefined }) },
      policies: { getPolicy: () => undefined },
      applicationOrgs: orgs.map((mspId, i) => ({ mspId, anchorPeers: [{ host: `peer${i}`, port: 7051 }] })),
    },
  } as unknown as GatewayChannel;
}

describe('Registry', () => {
  const local = { processProposal: () => Promise.reject(new Error('not called')) };
  let dialled: string[];
  let closed: string[];
  let registry: Registry;
  beforeEach(() => {
    dialled = [];
    closed = [];
    registry = new Registry({ endorser: local, mspId: 'AMSP', address: 'peer0:7051' }, (target) => {
      const address = `${target.host}:${target.port}`;
      dialled.push(address);
      return {
        address,
        processProposal: () => Promise.reject(new Error('not called')),
        close: () => closed.push(address),
      } satisfies RemoteEndorser;
    });
  });

  test('the endorsers of a channel config are built once, and again after a remote client is dropped or the config changes', () => {
    const channel = channelOf(['AMSP', 'BMSP', 'CMSP']);
    const byOrg = registry.endorsersByOrg(channel);
    expect([...byOrg.keys()]).toEqual(['AMSP', 'BMSP', 'CMSP']);
    expect(byOrg.get('AMSP')![0].local).toBe(true);
    const evaluator = registry.evaluator(channel, []);
    expect(evaluator.map((e) => e.address)).toEqual(['peer0:7051', 'peer1:7051', 'peer2:7051']);
    expect(registry.endorsersByOrg(channel)).toBe(byOrg);
    expect(registry.evaluator(channel, [])).toBe(evaluator);
    expect(registry.evaluator(channel, ['CMSP']).map((e) => e.address)).toEqual(['peer2:7051']);
    expect(dialled).toEqual(['peer1:7051', 'peer2:7051']);

    registry.removeEndorser(byOrg.get('BMSP')![0]);
    expect(closed).toEqual(['peer1:7051']);
    const afresh = registry.endorsersByOrg(channel);
    expect(afresh).not.toBe(byOrg);
    expect(registry.evaluator(channel, [])).not.toBe(evaluator);
    expect(dialled).toEqual(['peer1:7051', 'peer2:7051', 'peer1:7051']);

    const updated = channelOf(['AMSP', 'BMSP']);
    expect([...registry.endorsersByOrg(updated).keys()]).toEqual(['AMSP', 'BMSP']);
    expect(registry.evaluator(updated, []).map((e) => e.address)).toEqual(['peer0:7051', 'peer1:7051']);
  });
});
