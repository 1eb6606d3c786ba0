import { common, msp } from '@hyperledger/fabric-protos';
import { signaturePolicyFromString } from './policydsl';

/** The principals of an envelope as `MSP.ROLE` strings. */
function principals(env: common.SignaturePolicyEnvelope): string[] {
  return env.getIdentitiesList().map((p) => {
    expect(p.getPrincipalClassification()).toBe(msp.MSPPrincipal.Classification.ROLE);
    const role = msp.MSPRole.deserializeBinary(p.getPrincipal_asU8());
    const name = Object.entries(msp.MSPRole.MSPRoleType).find(([, v]) => v === role.getRole())?.[0];
    return `${role.getMspIdentifier()}.${name}`;
  });
}

/** A rule as a compact string: `1of(0,1)`, nested. */
function shape(rule: common.SignaturePolicy | undefined): string {
  if (!rule) return '?';
  if (rule.hasSignedBy()) return String(rule.getSignedBy());
  const gate = rule.getNOutOf();
  return `${gate?.getN()}of(${(gate?.getRulesList() ?? []).map(shape).join(',')})`;
}

describe('signaturePolicyFromString', () => {
  it("encodes OR('X.admin','X.peer','X.client') as configtxgen does: NOutOf 1 over SignedBy 0,1,2", () => {
    const env = signaturePolicyFromString(
      "OR('ImmigrationMSP.admin', 'ImmigrationMSP.peer', 'ImmigrationMSP.client')",
    );
    expect(env.getVersion()).toBe(0);
    expect(shape(env.getRule())).toBe('1of(0,1,2)');
    expect(principals(env)).toEqual(['ImmigrationMSP.ADMIN', 'ImmigrationMSP.PEER', 'ImmigrationMSP.CLIENT']);
  });

  it("encodes AND, OutOf and nesting, numbering nested gates' principals first, without deduplication", () => {
    const env = signaturePolicyFromString(
      "OutOf(2, 'A.member', AND('B.peer', \"A.member\"), or('C.orderer'))",
    );
    // Fabric's policydsl numbers a gate's nested gates before its own principals.
    expect(shape(env.getRule())).toBe('2of(3,2of(0,1),1of(2))');
    expect(principals(env)).toEqual(['B.PEER', 'A.MEMBER', 'C.ORDERER', 'A.MEMBER']);
  });

  it('round-trips through serialization', () => {
    const env = signaturePolicyFromString("OR('A.admin')");
    const back = common.SignaturePolicyEnvelope.deserializeBinary(env.serializeBinary());
    expect(shape(back.getRule())).toBe('1of(0)');
    expect(principals(back)).toEqual(['A.ADMIN']);
  });

  it.each([
    ["OR('A.king')", /error parsing principal A.king/],
    ["XOR('A.admin')", /unrecognized token 'XOR'/],
    ["OR('A.admin'", /unexpected end/],
    ["OutOf(5, 'A.admin', 'B.admin')", /invalid t-out-of-n predicate, t 5, n 2/],
    ["OR('A.admin') extra", /unexpected 'extra'/],
    ["OR('A.admin') ;", /unrecognized token ';'/],
  ])('rejects %s', (input, error) => {
    expect(() => signaturePolicyFromString(input)).toThrow(error);
  });
});
