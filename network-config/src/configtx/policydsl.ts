import { common, msp } from '@hyperledger/fabric-protos';

/** Roles a principal may name, as Fabric's policydsl (`member`, `admin`, `client`, `peer`, `orderer`). */
const ROLES: Record<string, msp.MSPRole.MSPRoleTypeMap[keyof msp.MSPRole.MSPRoleTypeMap]> = {
  member: msp.MSPRole.MSPRoleType.MEMBER,
  admin: msp.MSPRole.MSPRoleType.ADMIN,
  client: msp.MSPRole.MSPRoleType.CLIENT,
  peer: msp.MSPRole.MSPRoleType.PEER,
  orderer: msp.MSPRole.MSPRoleType.ORDERER,
};

/** `<MSP id>.<role>`, Fabric's principal syntax (policyparser.go `regex`). */
const PRINCIPAL = /^([A-Za-z0-9.-]+)\.(admin|member|client|peer|orderer)$/;

type Token = { kind: 'ident' | 'string' | 'number' | 'punct'; text: string; at: number };

/** Splits a policy expression into identifiers, quoted principals, numbers and `(`, `)`, `,`. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|'([^']*)'|"([^"]*)"|(\d+)|([(),]))/gy;
  let match: RegExpExecArray | null;
  let last = 0;
  while (last < input.length && (match = re.exec(input)) !== null) {
    const at = re.lastIndex - match[0].trimStart().length;
    if (match[1] !== undefined) tokens.push({ kind: 'ident', text: match[1], at });
    else if (match[2] !== undefined || match[3] !== undefined)
      tokens.push({ kind: 'string', text: match[2] ?? match[3] ?? '', at });
    else if (match[4] !== undefined) tokens.push({ kind: 'number', text: match[4], at });
    else tokens.push({ kind: 'punct', text: match[5] ?? '', at });
    last = re.lastIndex;
  }
  if (input.slice(last).trim() !== '')
    throw new Error(`unrecognized token '${input.slice(last).trim()}' in policy string '${input}'`);
  return tokens;
}

/** Recursive-descent parser producing Fabric's SignaturePolicy tree and its principal list. */
class Parser {
  private pos = 0;
  readonly principals: msp.MSPPrincipal[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): common.SignaturePolicy {
    const rule = this.gate();
    if (this.pos !== this.tokens.length) this.fail(`unexpected '${this.tokens[this.pos].text}'`);
    return rule;
  }

  private fail(why: string): never {
    throw new Error(`invalid policy string '${this.source}': ${why}`);
  }

  private next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) this.fail('unexpected end');
    return t;
  }

  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text) this.fail(`expected '${text}' at offset ${t.at}, got '${t.text}'`);
  }

  /** `AND(...)`, `OR(...)` or `OutOf(n, ...)`, in any letter case Fabric accepts. */
  private gate(): common.SignaturePolicy {
    const name = this.next();
    if (name.kind !== 'ident')
      this.fail(`expected AND, OR or OutOf at offset ${name.at}, got '${name.text}'`);
    const gate = name.text.toLowerCase();
    if (!['and', 'or', 'outof'].includes(gate)) this.fail(`unrecognized token '${name.text}'`);
    this.expect('(');
    let n: number | undefined;
    if (gate === 'outof') {
      const t = this.next();
      if (t.kind !== 'number') this.fail(`OutOf needs a number first, got '${t.text}'`);
      n = Number(t.text);
      this.expect(',');
    }
    const rules: common.SignaturePolicy[] = [this.argument()];
    while (this.tokens[this.pos]?.text === ',') {
      this.pos++;
      rules.push(this.argument());
    }
    this.expect(')');
    const threshold = gate === 'and' ? rules.length : gate === 'or' ? 1 : (n as number);
    if (threshold < 0 || threshold > rules.length + 1)
      this.fail(`invalid t-out-of-n predicate, t ${threshold}, n ${rules.length}`);
    return nOutOf(threshold, rules);
  }

  /** A quoted principal (appended to the identities, never deduplicated, as Fabric does) or a nested gate. */
  private argument(): common.SignaturePolicy {
    const t = this.tokens[this.pos];
    if (t?.kind !== 'string') return this.gate();
    this.pos++;
    const m = PRINCIPAL.exec(t.text);
    if (!m) this.fail(`error parsing principal ${t.text}`);
    const role = new msp.MSPRole();
    role.setMspIdentifier(m[1]);
    role.setRole(ROLES[m[2]]);
    const principal = new msp.MSPPrincipal();
    principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
    principal.setPrincipal(role.serializeBinary());
    this.principals.push(principal);
    return signedBy(this.principals.length - 1);
  }
}

/** `SignedBy(index)`: a signature from the principal at `index` of the envelope's identities. */
export function signedBy(index: number): common.SignaturePolicy {
  const p = new common.SignaturePolicy();
  p.setSignedBy(index);
  return p;
}

/** `NOutOf(n, rules)`: at least n of the rules satisfied. */
export function nOutOf(n: number, rules: common.SignaturePolicy[]): common.SignaturePolicy {
  const gate = new common.SignaturePolicy.NOutOf();
  gate.setN(n);
  gate.setRulesList(rules);
  const p = new common.SignaturePolicy();
  p.setNOutOf(gate);
  return p;
}

/**
 * Fabric's `policydsl.FromString`: parses `OR('A.admin','A.peer')`, `AND(...)`, `OutOf(2, ...)`
 * (nested freely) into a SignaturePolicyEnvelope (version 0) with ROLE principals in order of appearance.
 * @throws Error naming the policy string and what is wrong with it.
 */
export function signaturePolicyFromString(policy: string): common.SignaturePolicyEnvelope {
  const parser = new Parser(tokenize(policy), policy);
  const rule = parser.parse();
  const env = new common.SignaturePolicyEnvelope();
  env.setVersion(0);
  env.setRule(rule);
  env.setIdentitiesList(parser.principals);
  return env;
}
