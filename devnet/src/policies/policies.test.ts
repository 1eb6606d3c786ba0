import { common, msp as mspProto } from '@hyperledger/fabric-protos';
import { MSPManager } from '../msp/mspmgr';
import { createOrg, type TestOrg } from '../msp/testing/certs';
import type { SigningIdentity } from '../msp/signingidentity';
import { channelConfigPolicyReference, newPolicyFromApplicationPolicy } from './applicationpolicy';
import { buildChannelConfig } from '../channelconfig/configbuilder';
import { newSignaturePolicy } from './cauthdsl';
import { PolicyManager } from './manager';
import { PolicyError, type SignedData } from './policy';
import { fromString } from './policydsl';

const data = Buffer.from('the bytes being endorsed');
const sd = (s: SigningIdentity, d: Uint8Array = data): SignedData => ({
  data: d,
  identity: s.serialize(),
  signature: s.sign(d),
});

let a: TestOrg;
let b: TestOrg;
let c: TestOrg;
let msps: MSPManager;

beforeAll(async () => {
  [a, b, c] = await Promise.all([createOrg('AMSP'), createOrg('BMSP'), createOrg('CMSP')]);
  msps = MSPManager.fromConfigs([a.config, b.config, c.config]);
});

const policy = (dsl: string) => newSignaturePolicy(fromString(dsl), msps, dsl);

describe('signature policies (cauthdsl)', () => {
  it('1-of-2: either peer suffices, a client does not', () => {
    const p = policy("OR('AMSP.peer', 'BMSP.peer')");
    expect(() => p.evaluate([sd(a.peer)])).not.toThrow();
    expect(() => p.evaluate([sd(b.peer)])).not.toThrow();
    expect(() => p.evaluate([sd(a.client)])).toThrow(PolicyError);
    expect(() => p.evaluate([])).toThrow(/signature set did not satisfy policy/);
  });

  it('2-of-3 needs two different orgs', () => {
    const p = policy("OutOf(2, 'AMSP.peer', 'BMSP.peer', 'CMSP.peer')");
    expect(() => p.evaluate([sd(a.peer), sd(c.peer)])).not.toThrow();
    expect(() => p.evaluate([sd(a.peer)])).toThrow(PolicyError);
    expect(() => p.evaluate([sd(a.peer), sd(a.client)])).toThrow(PolicyError);
  });

  it('nested gates', () => {
    const p = policy("AND('AMSP.admin', OR('BMSP.peer', 'CMSP.peer'))");
    expect(() => p.evaluate([sd(a.admin), sd(c.peer)])).not.toThrow();
    expect(() => p.evaluate([sd(a.admin)])).toThrow(PolicyError);
    expect(() => p.evaluate([sd(b.peer), sd(c.peer)])).toThrow(PolicyError);
  });

  it('the same identity twice counts once', () => {
    const p = policy("AND('AMSP.member', 'AMSP.member')");
    expect(() => p.evaluate([sd(a.peer), sd(a.peer)])).toThrow(PolicyError);
    expect(() => p.evaluate([sd(a.peer), sd(a.client)])).not.toThrow();
    // and one identity cannot fill two principals even if it satisfies both
    const q = policy("AND('AMSP.peer', 'AMSP.member')");
    expect(() => q.evaluate([sd(a.peer)])).toThrow(PolicyError);
  });

  it('bad signatures and unknown identities are ignored, not fatal', () => {
    const p = policy("OR('AMSP.peer', 'BMSP.peer')");
    const forged = { ...sd(a.peer), signature: a.peer.sign(Buffer.from('something else')) };
    expect(() => p.evaluate([forged])).toThrow(PolicyError);
    const garbage = { data, identity: Buffer.from('not an identity'), signature: Buffer.alloc(8) };
    expect(() => p.evaluate([garbage, forged, sd(b.peer)])).not.toThrow();
    // a bad copy first does not block the good signature of the same identity
    const q = policy("OR('AMSP.peer')");
    expect(() => q.evaluate([forged, sd(a.peer)])).not.toThrow();
  });

  it('verifies each signature once per SignedData object, however many policies judge it', () => {
    let verifies = 0;
    const counting = {
      deserializeIdentity: (bytes: Uint8Array) => {
        const id = msps.deserializeIdentity(bytes);
        const verify = (m: Uint8Array, s: Uint8Array): boolean => (verifies++, id.verify(m, s));
        return Object.assign(Object.create(id) as typeof id, { verify });
      },
    };
    const judge = (dsl: string) => newSignaturePolicy(fromString(dsl), counting, dsl);
    const endorsements = [sd(a.peer), sd(b.peer)];
    judge("OutOf(2, 'AMSP.peer', 'BMSP.peer')").evaluate(endorsements);
    expect(verifies).toBe(2);
    judge("AND('AMSP.member', 'BMSP.member')").evaluate(endorsements);
    expect(() => judge("AND('AMSP.peer', 'CMSP.peer')").evaluate(endorsements)).toThrow(PolicyError);
    expect(verifies).toBe(2);
    // A bad signature stays bad: its outcome is remembered too.
    const forged = { ...sd(a.peer), signature: sd(a.peer, Buffer.from('other')).signature };
    expect(() => judge("OR('AMSP.peer')").evaluate([forged])).toThrow(PolicyError);
    expect(() => judge("OR('AMSP.member')").evaluate([forged])).toThrow(PolicyError);
    expect(verifies).toBe(3);
    // New objects with the same bytes are checked again (nothing is keyed by content).
    judge("OR('AMSP.peer')").evaluate([sd(a.peer)]);
    expect(verifies).toBe(4);
  });

  it('rejects envelopes Fabric rejects', () => {
    const env = fromString("OR('AMSP.peer')");
    env.setVersion(1);
    expect(() => newSignaturePolicy(env, msps)).toThrow(/version 0/);
    const bad = fromString("OR('AMSP.peer')");
    bad.setIdentitiesList([]);
    expect(() => newSignaturePolicy(bad, msps)).toThrow(/identity index out of range/);
  });
});

describe('PolicyManager and ImplicitMeta', () => {
  let pm: PolicyManager;
  beforeAll(() => {
    const wrap = (o: TestOrg) => {
      const w = new mspProto.MSPConfig();
      w.setConfig(o.config.serializeBinary());
      return { mspId: o.mspId, msp: w, anchorPeers: [{ host: 'peer0', port: 7051 }] };
    };
    const config = buildChannelConfig({
      ordererOrg: wrap(c), // orderer org reuses C's MSP for brevity
      applicationOrgs: [wrap(a), wrap(b), wrap(c)],
      batchTimeout: '100ms',
      maxMessageCount: 10,
      absoluteMaxBytes: 1 << 20,
      preferredMaxBytes: 1 << 19,
    });
    pm = PolicyManager.fromChannelConfig(config, msps);
  });

  it('MAJORITY of 3 orgs needs 2 org endorsements', () => {
    const endorsement = pm.getPolicy('/Channel/Application/Endorsement')!;
    expect(() => endorsement.evaluate([sd(a.peer), sd(b.peer)])).not.toThrow();
    expect(() => endorsement.evaluate([sd(a.peer)])).toThrow(
      /1 sub-policies were satisfied, but this policy requires 2/,
    );
    expect(() => endorsement.evaluate([sd(a.peer), sd(a.client)])).toThrow(PolicyError);
    try {
      endorsement.evaluate([]);
    } catch (err) {
      expect((err as PolicyError).policyName).toBe('/Channel/Application/Endorsement');
    }
  });

  it('answers absolute and relative paths, org policies and missing ones', () => {
    expect(() => pm.getPolicy('/Channel/Application/AMSP/Endorsement')!.evaluate([sd(a.peer)])).not.toThrow();
    expect(() => pm.getPolicy('/Channel/Application/AMSP/Endorsement')!.evaluate([sd(b.peer)])).toThrow(
      PolicyError,
    );
    expect(() => pm.getPolicy('/Channel/Writers')!.evaluate([sd(b.client)])).not.toThrow();
    expect(() => pm.getPolicy('/Channel/Writers')!.evaluate([sd(c.peer)])).not.toThrow(); // orderer org (C) Writers = member
    expect(() => pm.getPolicy('/Channel/Writers')!.evaluate([sd(b.peer)])).toThrow(PolicyError);
    expect(() => pm.getPolicy('/Channel/Application/Writers')!.evaluate([sd(b.peer)])).toThrow(PolicyError);
    expect(() => pm.getPolicy('/Channel/Readers')!.evaluate([sd(a.peer)])).not.toThrow();
    expect(() => pm.getPolicy('/Channel/Orderer/BlockValidation')!.evaluate([sd(c.peer)])).not.toThrow();
    expect(() => pm.getPolicy('Application/Readers')!.evaluate([sd(a.client)])).not.toThrow();
    expect(() => pm.getPolicy('/Channel/Application/Admins')!.evaluate([sd(a.admin)])).toThrow(PolicyError);
    expect(() =>
      pm.getPolicy('/Channel/Application/Admins')!.evaluate([sd(a.admin), sd(b.admin)]),
    ).not.toThrow();
    expect(pm.getPolicy('/Channel/Nope')).toBeUndefined();
    expect(pm.getPolicy('/Other/Readers')).toBeUndefined();
    expect(() => pm.getPolicyOrReject('/Channel/Nope').evaluate([sd(a.peer)])).toThrow(/no such policy/);
  });

  it('builds chaincode endorsement policies from ApplicationPolicy', () => {
    const ref = newPolicyFromApplicationPolicy(
      channelConfigPolicyReference('/Channel/Application/Endorsement'),
      msps,
      pm,
    );
    expect(() => ref.evaluate([sd(a.peer), sd(c.peer)])).not.toThrow();
    expect(() => ref.evaluate([sd(c.peer)])).toThrow(PolicyError);
    const explicit = new common.ApplicationPolicy();
    explicit.setSignaturePolicy(fromString("OR('BMSP.peer')"));
    const sig = newPolicyFromApplicationPolicy(explicit.serializeBinary(), msps, pm);
    expect(() => sig.evaluate([sd(b.peer)])).not.toThrow();
    expect(() => sig.evaluate([sd(a.peer)])).toThrow(PolicyError);
    const missing = newPolicyFromApplicationPolicy(
      channelConfigPolicyReference('/Channel/Application/Missing'),
      msps,
      pm,
    );
    expect(() => missing.evaluate([sd(a.peer)])).toThrow(/no such policy/);
  });
});
