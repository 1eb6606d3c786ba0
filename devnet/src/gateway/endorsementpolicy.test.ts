import { common, peer } from '@hyperledger/fabric-protos';
import type { GatewayChannel, GatewayPolicy } from './deps';
import { endorsementRequirements, unsatisfiedReason } from './endorsementpolicy';

const accepting: GatewayPolicy = { evaluate: () => undefined, evaluateIdentities: () => undefined };
const refuse = (why: string) => (): void => {
  throw new Error(why);
};
const refusing = (why: string): GatewayPolicy => ({ evaluate: refuse(why), evaluateIdentities: refuse(why) });

function channelWith(policies: Record<string, GatewayPolicy>): GatewayChannel {
  return {
    bundle: {
      channelId: 'egov',
      msps: { deserializeIdentity: () => ({ mspId: 'x', id: 'x', verify: () => true }) },
      policies: { getPolicy: (p) => policies[p] },
      applicationOrgs: [],
    },
    store: {
      height: () => 0,
      getBlock: async () => undefined,
      getTxLocation: async () => undefined,
      waitForHeight: async () => undefined,
    },
    onCommit: () => () => undefined,
  };
}

const definitions = {
  getChaincodeDefinition: (_ch: string, name: string) =>
    ['egov', 'other'].includes(name)
      ? { endorsementPolicy: { channelConfigPolicy: `/Channel/Application/${name}Endorsement` } }
      : undefined,
};

function call(name: string, opts: { disregard?: boolean; keyPolicies?: number } = {}): peer.ChaincodeCall {
  const c = new peer.ChaincodeCall();
  c.setName(name);
  c.setDisregardNamespacePolicy(opts.disregard ?? false);
  c.setKeyPoliciesList(
    Array.from({ length: opts.keyPolicies ?? 0 }, () => new common.SignaturePolicyEnvelope()),
  );
  return c;
}

function interest(...calls: peer.ChaincodeCall[]): peer.ChaincodeInterest {
  const i = new peer.ChaincodeInterest();
  i.setChaincodesList(calls);
  return i;
}

describe('endorsementRequirements', () => {
  const channel = channelWith({
    '/Channel/Application/egovEndorsement': accepting,
    '/Channel/Application/otherEndorsement': refusing('needs other'),
  });

  test('without an interest, the invoked chaincode policy alone', () => {
    const reqs = endorsementRequirements(definitions, channel, 'egov', undefined);
    expect(reqs.map((r) => r.name)).toEqual([
      'chaincode egov endorsement policy /Channel/Application/egovEndorsement',
    ]);
  });

  test('chaincode-to-chaincode calls add the callee policy; unsatisfiedReason names it', () => {
    const reqs = endorsementRequirements(definitions, channel, 'egov', interest(call('egov'), call('other')));
    expect(reqs).toHaveLength(2);
    expect(unsatisfiedReason(reqs, [])).toBe(
      'chaincode other endorsement policy /Channel/Application/otherEndorsement: needs other',
    );
  });

  test('key-level policies are built with newSignaturePolicy; disregard_namespace_policy drops the chaincode policy', () => {
    const built: string[] = [];
    const deps = {
      ...definitions,
      newSignaturePolicy: (ch: string) => (built.push(ch), refusing('key policy')),
    };
    const reqs = endorsementRequirements(
      deps,
      channel,
      'egov',
      interest(call('egov', { disregard: true, keyPolicies: 2 })),
    );
    expect(reqs.map((r) => r.name)).toEqual([
      'key-level policy 0 of chaincode egov',
      'key-level policy 1 of chaincode egov',
    ]);
    expect(built).toEqual(['egov', 'egov']);
  });

  test('refuses what it cannot resolve', () => {
    expect(() => endorsementRequirements(definitions, channel, 'nope', undefined)).toThrow(
      'chaincode nope is not defined on channel egov',
    );
    expect(() => endorsementRequirements(definitions, channelWith({}), 'egov', undefined)).toThrow(
      'endorsement policy /Channel/Application/egovEndorsement of chaincode egov not found',
    );
    expect(() =>
      endorsementRequirements(definitions, channel, 'egov', interest(call('egov', { keyPolicies: 1 }))),
    ).toThrow('key-level endorsement policies');
  });
});
