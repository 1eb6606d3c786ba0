import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import * as tar from 'tar';
import type { LegacyClient } from '../support/legacy';
import { connectLegacy, orderAndWaitForCommit } from '../support/legacy';
import type { ConformanceNetwork } from './support';

const lb = peer.lifecycle;

/** What a peer answered a proposal: status, message, payload bytes. */
export interface ProposalAnswer {
  status: number;
  message: string;
  payload: Buffer;
}

/** fabric-common clients of every org as its Admin (lifecycle needs admins), closed by {@link closeAdmins}. */
export async function connectAdmins(c: ConformanceNetwork): Promise<Map<string, LegacyClient>> {
  const admins = new Map<string, LegacyClient>();
  for (const mspId of c.mspIds) admins.set(mspId, await connectLegacy(c.net, mspId, 'admin'));
  return admins;
}

/** Closes the clients of {@link connectAdmins}. */
export function closeAdmins(admins: Map<string, LegacyClient>): void {
  for (const a of admins.values()) a.close();
}

/**
 * A proposal to a system chaincode on one org's peer that is never submitted (the peer CLI's
 * `queryinstalled`, `querycommitted`, `peer channel getinfo`, ...). `channel` '' = channel-less.
 */
export async function sccQuery(
  legacy: LegacyClient,
  channel: string,
  peerOf: string,
  chaincode: string,
  args: (string | Uint8Array)[],
): Promise<ProposalAnswer> {
  // fabric-common refuses '' as a channel name by default; the peer CLI sends channel-less proposals.
  (legacy.client as unknown as { setConfigSetting(name: string, value: unknown): void }).setConfigSetting(
    'channel-name-regx-checker',
    null,
  );
  const ch = channel === legacy.channel.name ? legacy.channel : legacy.client.newChannel(channel);
  const query = ch.newQuery(chaincode);
  const [fcn, ...rest] = args;
  query.build(legacy.idx, {
    fcn: Buffer.from(fcn).toString('utf8'),
    args: rest.map((a) => Buffer.from(a)) as unknown as string[],
  });
  query.sign(legacy.idx);
  const endorser = legacy.endorsers.get(peerOf);
  if (endorser === undefined) throw new Error(`no endorser for ${peerOf}`);
  const results = await query.send({ targets: [endorser], requestTimeout: 30_000 });
  if (results.errors.length > 0) throw results.errors[0];
  const r = results.responses[0].response;
  return { status: r.status, message: r.message, payload: Buffer.from(r.payload ?? Buffer.alloc(0)) };
}

/** What a submitted `_lifecycle` transaction ended as. */
export interface SubmitOutcome {
  /** Each endorser's answer (status 200 = endorsed). */
  answers: Map<string, ProposalAnswer>;
  /** The commit's validation code ('VALID', 'ENDORSEMENT_POLICY_FAILURE', ...); undefined when not submitted. */
  validationCode?: string;
}

/**
 * Endorses `_lifecycle` `fcn(arg)` on the peers of `endorsers` (as the client's org admin) and, when every
 * endorser answered 200, orders it and waits for its commit event, as `peer lifecycle chaincode
 * approveformyorg/commit` do.
 */
export async function lifecycleSubmit(
  legacy: LegacyClient,
  endorsers: string[],
  fcn: string,
  arg: Uint8Array,
): Promise<SubmitOutcome> {
  const endorsement = legacy.channel.newEndorsement('_lifecycle');
  endorsement.build(legacy.idx, { fcn, args: [Buffer.from(arg)] as unknown as string[] });
  endorsement.sign(legacy.idx);
  const targets = endorsers.map((m) => legacy.endorsers.get(m)!);
  const results = await endorsement.send({ targets, requestTimeout: 30_000 });
  if (results.errors.length > 0) throw results.errors[0];
  const answers = new Map<string, ProposalAnswer>();
  results.responses.forEach((r, i) =>
    answers.set(endorsers[i], {
      status: r.response.status,
      message: r.response.message,
      payload: Buffer.from(r.response.payload ?? Buffer.alloc(0)),
    }),
  );
  if ([...answers.values()].some((a) => a.status !== 200)) return { answers };
  const { status } = await orderAndWaitForCommit(legacy, endorsement);
  return { answers, validationCode: status };
}

/** A chaincode definition's parameters, as the peer CLI's flags give them. */
export interface Definition {
  name: string;
  version: string;
  sequence: number;
  /** Marshaled ApplicationPolicy ('' = the channel default). */
  validationParameter?: Uint8Array;
  initRequired?: boolean;
  /** The collections (a new sequence must keep every committed collection). */
  collections?: peer.CollectionConfigPackage;
}

/** ApproveChaincodeDefinitionForMyOrgArgs bytes (package '' = none). */
export function approveArgs(d: Definition, packageId: string): Uint8Array {
  const a = new lb.ApproveChaincodeDefinitionForMyOrgArgs();
  fillArgs(a, d);
  const src = new lb.ChaincodeSource();
  if (packageId === '') src.setUnavailable(new lb.ChaincodeSource.Unavailable());
  else {
    const local = new lb.ChaincodeSource.Local();
    local.setPackageId(packageId);
    src.setLocalPackage(local);
  }
  a.setSource(src);
  return a.serializeBinary();
}

/** CommitChaincodeDefinitionArgs bytes. */
export function commitArgs(d: Definition): Uint8Array {
  const a = new lb.CommitChaincodeDefinitionArgs();
  fillArgs(a, d);
  return a.serializeBinary();
}

/** CheckCommitReadinessArgs bytes. */
export function readinessArgs(d: Definition): Uint8Array {
  const a = new lb.CheckCommitReadinessArgs();
  fillArgs(a, d);
  return a.serializeBinary();
}

/** QueryChaincodeDefinitionArgs bytes. */
export function queryCommittedArgs(name: string): Uint8Array {
  const a = new lb.QueryChaincodeDefinitionArgs();
  a.setName(name);
  return a.serializeBinary();
}

/** QueryApprovedChaincodeDefinitionArgs bytes (sequence 0 = latest). */
export function queryApprovedArgs(name: string, sequence = 0): Uint8Array {
  const a = new lb.QueryApprovedChaincodeDefinitionArgs();
  a.setName(name);
  a.setSequence(sequence);
  return a.serializeBinary();
}

type ArgsMessage = {
  setName(v: string): void;
  setVersion(v: string): void;
  setSequence(v: number): void;
  setInitRequired(v: boolean): void;
  setValidationParameter(v: Uint8Array): void;
  setCollections(v?: peer.CollectionConfigPackage): void;
};

function fillArgs(a: ArgsMessage, d: Definition): void {
  a.setName(d.name);
  a.setVersion(d.version);
  a.setSequence(d.sequence);
  a.setInitRequired(d.initRequired ?? false);
  if (d.validationParameter) a.setValidationParameter(d.validationParameter);
  if (d.collections) a.setCollections(d.collections);
}

/** An ApplicationPolicy with a signature policy "any peer of one of `mspIds`" (OR('X.peer', ...)). */
export function peerOfPolicy(mspIds: string[]): Uint8Array {
  const principals = mspIds.map((id) => {
    const role = new msp.MSPRole();
    role.setMspIdentifier(id);
    role.setRole(msp.MSPRole.MSPRoleType.PEER);
    const p = new msp.MSPPrincipal();
    p.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
    p.setPrincipal(role.serializeBinary());
    return p;
  });
  const rules = mspIds.map((_, i) => {
    const r = new common.SignaturePolicy();
    r.setSignedBy(i);
    return r;
  });
  const nOutOf = new common.SignaturePolicy.NOutOf();
  nOutOf.setN(1);
  nOutOf.setRulesList(rules);
  const rule = new common.SignaturePolicy();
  rule.setNOutOf(nOutOf);
  const env = new common.SignaturePolicyEnvelope();
  env.setVersion(0);
  env.setRule(rule);
  env.setIdentitiesList(principals);
  const ap = new peer.ApplicationPolicy();
  ap.setSignaturePolicy(env);
  return ap.serializeBinary();
}

/**
 * A chaincode-as-a-service install package as `peer lifecycle chaincode package --lang ccaas`-style
 * tooling writes it: metadata.json {type: ccaas, label} and code.tar.gz holding connection.json.
 * Returns the bytes and the package id Fabric computes (label:sha256).
 */
export async function ccaasPackage(
  label: string,
  address: string,
): Promise<{ bytes: Buffer; packageId: string }> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-pkg-'));
  try {
    fs.mkdirSync(path.join(work, 'code'));
    fs.writeFileSync(
      path.join(work, 'code', 'connection.json'),
      JSON.stringify({ address, dial_timeout: '10s', tls_required: false }),
    );
    await tar.create(
      { gzip: true, file: path.join(work, 'code.tar.gz'), cwd: path.join(work, 'code'), portable: true },
      ['connection.json'],
    );
    fs.writeFileSync(path.join(work, 'metadata.json'), JSON.stringify({ type: 'ccaas', label }));
    await tar.create({ gzip: true, file: path.join(work, 'pkg.tar.gz'), cwd: work, portable: true }, [
      'metadata.json',
      'code.tar.gz',
    ]);
    const bytes = fs.readFileSync(path.join(work, 'pkg.tar.gz'));
    return { bytes, packageId: `${label}:${createHash('sha256').update(bytes).digest('hex')}` };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
