import { common, msp as mspProto } from '@hyperledger/fabric-protos';
import { fromString, nOutOf, signedBy } from './policydsl';

function principals(env: common.SignaturePolicyEnvelope): string[] {
  return env.getIdentitiesList().map((p) => {
    expect(p.getPrincipalClassification()).toBe(mspProto.MSPPrincipal.Classification.ROLE);
    const r = mspProto.MSPRole.deserializeBinary(p.getPrincipal_asU8());
    return `${r.getMspIdentifier()}:${r.getRole()}`;
  });
}

function rule(p: common.SignaturePolicy): unknown {
  if (p.hasSignedBy()) return p.getSignedBy();
  const g = p.getNOutOf()!;
  return { n: g.getN(), rules: g.getRulesList().map(rule) };
}

const { MEMBER, ADMIN, CLIENT, PEER, ORDERER } = mspProto.MSPRole.MSPRoleType;

describe('policydsl fromString', () => {
  it('OR of two peers', () => {
    const env = fromString("OR('ImmigrationMSP.peer','EducationMSP.peer')");
    expect(env.getVersion()).toBe(0);
    expect(principals(env)).toEqual([`ImmigrationMSP:${PEER}`, `EducationMSP:${PEER}`]);
    expect(rule(env.getRule()!)).toEqual({ n: 1, rules: [0, 1] });
  });

  it('AND counts its arguments and OutOf takes t', () => {
    expect(rule(fromString("AND('A.admin', 'B.client', 'C.orderer')").getRule()!)).toEqual({
      n: 3,
      rules: [0, 1, 2],
    });
    const env = fromString("OutOf(2, 'A.member', 'B.member', 'C.member')");
    expect(rule(env.getRule()!)).toEqual({ n: 2, rules: [0, 1, 2] });
    expect(principals(fromString("and('A.admin', 'B.client', 'C.orderer')"))).toEqual([
      `A:${ADMIN}`,
      `B:${CLIENT}`,
      `C:${ORDERER}`,
    ]);
    expect(rule(fromString("outof('1', 'A.member')").getRule()!)).toEqual({ n: 1, rules: [0] });
  });

  it("numbers a nested gate's principals before the outer gate's own, as Fabric's evaluator does", () => {
    const env = fromString("AND('A.member', OR('B.member', 'C.member'))");
    expect(principals(env)).toEqual([`B:${MEMBER}`, `C:${MEMBER}`, `A:${MEMBER}`]);
    expect(rule(env.getRule()!)).toEqual({ n: 2, rules: [2, { n: 1, rules: [0, 1] }] });
  });

  it('matches fabric policyparser_test.go TestComplex1 and TestComplex2', () => {
    const c1 = fromString("OR('A.member', AND('B.member', 'C.member'))");
    expect(principals(c1)).toEqual([`B:${MEMBER}`, `C:${MEMBER}`, `A:${MEMBER}`]);
    expect(rule(c1.getRule()!)).toEqual({ n: 1, rules: [2, { n: 2, rules: [0, 1] }] });
    const c2 = fromString("OR(AND('A.member', 'B.member'), OR('C.admin', 'D.member'))");
    expect(principals(c2)).toEqual([`A:${MEMBER}`, `B:${MEMBER}`, `C:${ADMIN}`, `D:${MEMBER}`]);
    expect(rule(c2.getRule()!)).toEqual({
      n: 1,
      rules: [
        { n: 2, rules: [0, 1] },
        { n: 1, rules: [2, 3] },
      ],
    });
  });

  it('serializes SignedBy(0) explicitly (a oneof member) like Go', () => {
    // SignaturePolicy{signed_by: 0} = field 1 varint 0 → 08 00
    expect(Buffer.from(signedBy(0).serializeBinary()).toString('hex')).toBe('0800');
    // NOutOf{n:1, rules:[SignedBy(0)]} wrapped in field 2
    expect(Buffer.from(nOutOf(1, [signedBy(0)]).serializeBinary()).toString('hex')).toBe('1206080112020800');
  });

  it('rejects what Fabric rejects', () => {
    expect(() => fromString("OR('A.superuser')")).toThrow(/error parsing principal/);
    expect(() => fromString("OutOf(4, 'A.member', 'B.member')")).toThrow(/invalid t-out-of-n/);
    expect(() => fromString("XOR('A.member')")).toThrow(/unrecognized token 'XOR'/);
    expect(() => fromString("OR('A.member'")).toThrow(/unexpected end|expected '\)'/);
    expect(() => fromString("'A.member'")).toThrow(/invalid policy string/);
    expect(() => fromString('OutOf(1)')).toThrow(/at least two arguments/);
  });
});
