import { common, type msp as mspProto } from '@hyperledger/fabric-protos';
import { rolePrincipal } from '../msp/principals';

type RoleName = 'member' | 'admin' | 'client' | 'peer' | 'orderer';

/**
 * Fabric's policy language (fabric common/policydsl/policyparser.go):
 *   GATE(P, P, ...) with GATE one of AND / OR (any case as Fabric: And, and, AND, ...) or
 *   OutOf(t, P, ...); P a quoted principal 'MSPID.role' (role member|admin|client|peer|orderer)
 *   or a nested gate.
 * Identities are numbered as Fabric's evaluator does: a gate's nested gates first (in order),
 * then its own principals (in order), without deduplication.
 */

/** A parsed gate or principal. */
type Node = { kind: 'gate'; t: number; args: Node[] } | { kind: 'principal'; text: string };

const PRINCIPAL = /^([A-Za-z0-9.-]+)\.(admin|member|client|peer|orderer)$/;
const GATES: Record<string, 'and' | 'or' | 'outof'> = {
  And: 'and',
  and: 'and',
  AND: 'and',
  Or: 'or',
  or: 'or',
  OR: 'or',
  OutOf: 'outof',
  outof: 'outof',
  OUTOF: 'outof',
};

/** A tiny recursive-descent reader over the policy string. */
class Reader {
  private pos = 0;

  constructor(private readonly text: string) {}

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private peek(): string {
    this.skipSpace();
    return this.text[this.pos] ?? '';
  }

  private expect(ch: string): void {
    if (this.peek() !== ch)
      throw new Error(`expected '${ch}' at position ${this.pos} in policy string '${this.text}'`);
    this.pos++;
  }

  atEnd(): boolean {
    return this.peek() === '';
  }

  /** A string literal, number literal or gate call. */
  value(): { kind: 'string' | 'number'; text: string } | Node {
    const ch = this.peek();
    if (ch === "'" || ch === '"') return { kind: 'string', text: this.quoted(ch) };
    if (/[0-9]/.test(ch)) return { kind: 'number', text: this.match(/[0-9]+/y) };
    const ident = this.match(/[A-Za-z_][A-Za-z0-9_]*/y);
    if (!ident) throw new Error(`unexpected '${ch}' at position ${this.pos} in policy string '${this.text}'`);
    const gate = GATES[ident];
    if (!gate) throw new Error(`unrecognized token '${ident}' in policy string`);
    return this.call(gate);
  }

  private call(gate: 'and' | 'or' | 'outof'): Node {
    this.expect('(');
    const raw: ReturnType<Reader['value']>[] = [];
    if (this.peek() !== ')') {
      raw.push(this.value());
      while (this.peek() === ',') {
        this.pos++;
        raw.push(this.value());
      }
    }
    this.expect(')');
    let t: number;
    let rest = raw;
    if (gate === 'outof') {
      if (raw.length < 2) throw new Error(`expected at least two arguments to NOutOf. Given ${raw.length}`);
      const first = raw[0];
      if ((first.kind !== 'number' && first.kind !== 'string') || !/^[0-9]+$/.test(first.text)) {
        throw new Error('unrecognized type, expected a number as the first argument of OutOf');
      }
      t = Number(first.text);
      rest = raw.slice(1);
    } else {
      if (raw.length < 1) throw new Error(`expected at least one argument to ${gate.toUpperCase()}`);
      t = gate === 'and' ? raw.length : 1;
    }
    const args = rest.map((a): Node => {
      if (a.kind === 'gate') return a;
      if (a.kind === 'string' && PRINCIPAL.test(a.text)) return { kind: 'principal', text: a.text };
      throw new Error(`error parsing principal ${a.text}`);
    });
    if (t < 0 || t > args.length + 1)
      throw new Error(`invalid t-out-of-n predicate, t ${t}, n ${args.length}`);
    return { kind: 'gate', t, args };
  }

  private quoted(q: string): string {
    const end = this.text.indexOf(q, this.pos + 1);
    if (end < 0) throw new Error(`unterminated string in policy string '${this.text}'`);
    const s = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    return s;
  }

  private match(re: RegExp): string {
    this.skipSpace();
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) return '';
    this.pos += m[0].length;
    return m[0];
  }
}

/** A ROLE principal for 'MSPID.role'. */
function principalOf(text: string): mspProto.MSPPrincipal {
  const [, mspId, role] = PRINCIPAL.exec(text)!;
  return rolePrincipal(mspId, role as RoleName);
}

function build(
  node: Extract<Node, { kind: 'gate' }>,
  principals: mspProto.MSPPrincipal[],
): common.SignaturePolicy {
  // Nested gates are evaluated (and number their principals) before this gate's own principals.
  const nested = new Map<Node, common.SignaturePolicy>();
  for (const arg of node.args) if (arg.kind === 'gate') nested.set(arg, build(arg, principals));
  const rules = node.args.map((arg) => {
    if (arg.kind === 'gate') return nested.get(arg)!;
    principals.push(principalOf(arg.text));
    return signedBy(principals.length - 1);
  });
  return nOutOf(node.t, rules);
}

/** A SignaturePolicy requiring the signature of principal `index` (fabric policydsl.SignedBy). */
export function signedBy(index: number): common.SignaturePolicy {
  const p = new common.SignaturePolicy();
  p.setSignedBy(index);
  return p;
}

/** A SignaturePolicy requiring `n` of `rules` (fabric policydsl.NOutOf). */
export function nOutOf(n: number, rules: common.SignaturePolicy[]): common.SignaturePolicy {
  const gate = new common.SignaturePolicy.NOutOf();
  gate.setN(n);
  gate.setRulesList(rules);
  const p = new common.SignaturePolicy();
  p.setNOutOf(gate);
  return p;
}

/** Parses a policy string like `OR('ImmigrationMSP.peer','EducationMSP.peer')` (fabric policydsl.FromString). */
export function fromString(policy: string): common.SignaturePolicyEnvelope {
  const reader = new Reader(policy);
  const root = reader.value();
  if (root.kind !== 'gate') throw new Error(`invalid policy string '${policy}'`);
  if (!reader.atEnd()) throw new Error(`unexpected trailing text in policy string '${policy}'`);
  const principals: mspProto.MSPPrincipal[] = [];
  const rule = build(root, principals);
  const env = new common.SignaturePolicyEnvelope();
  env.setVersion(0);
  env.setRule(rule);
  env.setIdentitiesList(principals);
  return env;
}

/** `OutOf(n, 'A.role', 'B.role', ...)` over ROLE principals, one per MSP (fabric SignedByNOutOfGivenRole). */
export function signedByNOutOfGivenRole(
  n: number,
  role: RoleName,
  mspIds: string[],
): common.SignaturePolicyEnvelope {
  const env = new common.SignaturePolicyEnvelope();
  env.setVersion(0);
  env.setIdentitiesList(mspIds.map((id) => rolePrincipal(id, role)));
  env.setRule(
    nOutOf(
      n,
      mspIds.map((_, i) => signedBy(i)),
    ),
  );
  return env;
}
