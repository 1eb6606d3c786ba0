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

/** A parsed gate: its threshold and its arguments, principals or nested gates. */
interface Gate {
  threshold: number;
  args: (Gate | msp.MSPPrincipal)[];
}

/** Recursive-descent parser producing the gate tree of a policy string. */
class Parser {
  private pos = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Gate {
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
  private gate(): Gate {
    const name = this.next();
    if (name.kind !== 'ident')
      this.fail(`expected AND, OR or OutOf at offset ${name.at}, got '${name.text}'`);
    const gate = name.text.toLowerCase();
    if (!['and', 'or', 'outof'].includes(gate)) this.fail(`unrecognized token '${name.text}'`);
    this.expect('(');
    let n: number | undefined;
    if (gate === 'outof') {
      // Fabric takes the threshold as a number or a quoted number: OutOf(1, ...) or OutOf('1', ...).
      const t = this.next();
      if (t.kind !== 'number' && !(t.kind === 'string' && /^\d+$/.test(t.text)))
        this.fail(`OutOf needs a number first, got '${t.text}'`);
      n = Number(t.text);
      if (this.tokens[this.pos]?.text !== ',') this.fail('at least two arguments expected for OutOf');
      this.expect(',');
    }
    const rules: Gate['args'] = [this.argument()];
    while (this.tokens[this.pos]?.text === ',') {
      this.pos++;
      rules.push(this.argument());
    }
    this.expect(')');
    const threshold = gate === 'and' ? rules.length : gate === 'or' ? 1 : (n as number);
    if (threshold < 0 || threshold > rules.length + 1)
      this.fail(`invalid t-out-of-n predicate, t ${threshold}, n ${rules.length}`);
    return { threshold, args: rules };
  }

  /** A quoted principal or a nested gate. */
  private argument(): Gate | msp.MSPPrincipal {
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
    return principal;
  }
}

/**
 * Builds a gate's SignaturePolicy, numbering principals as Fabric's policydsl does: a gate's nested
 * gates first, in order, then its own principals, in order; never deduplicated.
 */
function build(gate: Gate, principals: msp.MSPPrincipal[]): common.SignaturePolicy {
  const nested = new Map<Gate, common.SignaturePolicy>();
  for (const arg of gate.args)
    if (!(arg instanceof msp.MSPPrincipal)) nested.set(arg, build(arg, principals));
  const rules = gate.args.map((arg) => {
    if (!(arg instanceof msp.MSPPrincipal)) return nested.get(arg) as common.SignaturePolicy;
    principals.push(arg);
    return signedBy(principals.length - 1);
  });
  return nOutOf(gate.threshold, rules);
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
 * (nested freely) into a SignaturePolicyEnvelope (version 0) with ROLE principals numbered as Fabric does.
 * @throws Error naming the policy string and what is wrong with it.
 */
export function signaturePolicyFromString(policy: string): common.SignaturePolicyEnvelope {
  const principals: msp.MSPPrincipal[] = [];
  const rule = build(new Parser(tokenize(policy), policy).parse(), principals);
  const env = new common.SignaturePolicyEnvelope();
  env.setVersion(0);
  env.setRule(rule);
  env.setIdentitiesList(principals);
  return env;
}
