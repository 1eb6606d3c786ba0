import { msp, peer } from '@hyperledger/fabric-protos';
import type { SccStub } from '../scc/sccstub';
import { ChaincodeStore, CodePackageNotFoundError } from './chaincodestore';
import { newChaincodeSource } from './chaincodesource';
import {
  definitionStructure,
  FRIENDLY_CHAINCODE_DEFINITION_TYPE,
  localPackageStructure,
  parametersMismatch,
  parametersStructure,
  privateName,
  readCommittedDefinition,
  readLocalPackage,
  readParameters,
  setDefaults,
  CHAINCODE_DEFINITION_TYPE,
  CHAINCODE_PARAMETERS_TYPE,
  type LifecycleDefinition,
} from './chaincodedefinition';
import {
  CHAINCODE_SOURCES_NAME,
  isSerialized,
  NAMESPACES_NAME,
  readInt64Field,
  readMetadata,
  serialize,
  type OpaqueState,
  type ReadWritableState,
} from './serializer';

const lb = peer.lifecycle;

/** Fabric's implicit collection of an org (implicitcollection.NameForOrg). */
export function implicitCollectionName(mspId: string): string {
  return `_implicit_org_${mspId}`;
}

/** Fabric's ErrNamespaceNotDefined: the SCC answers it with status 404. */
export class NamespaceNotDefinedError extends Error {
  constructor(namespace: string) {
    super(`namespace ${namespace} is not defined`);
  }
}

/** What `_lifecycle` needs of the peer and its channel. */
export interface LifecycleContext {
  /** This peer's organization. */
  mspId: string;
  /** The channel's application organizations (empty without a channel). */
  orgMspIds: string[];
  /** Whether the channel defines /Channel/Application/Endorsement (Fabric's DefaultEndorsementPolicyAsBytes). */
  hasDefaultEndorsementPolicy: boolean;
  store: ChaincodeStore;
  /** Chaincodes of each channel using a package: for Query[Installed]Chaincode(s) references. */
  references(packageId: string): Map<string, { name: string; version: string }[]>;
}

const CHAINCODE_NAME = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;
const CHAINCODE_VERSION = /^[A-Za-z0-9_.+-]+$/;
const COLLECTION_NAME = /^[A-Za-z0-9-]+([A-Za-z0-9_-]+)*$/;
const SYSTEM_CHAINCODES = new Set(['cscc', 'escc', 'lscc', 'qscc', 'vscc']);

type Fn = (
  stub: SccStub,
  ctx: LifecycleContext,
  arg: Uint8Array,
) => Promise<{ serializeBinary(): Uint8Array }>;

/** The `_lifecycle` functions by name (core/chaincode/lifecycle/scc.go Invocation). */
export const LIFECYCLE_FUNCTIONS: Record<string, Fn> = {
  InstallChaincode: installChaincode,
  QueryInstalledChaincode: queryInstalledChaincode,
  GetInstalledChaincodePackage: getInstalledChaincodePackage,
  QueryInstalledChaincodes: queryInstalledChaincodes,
  ApproveChaincodeDefinitionForMyOrg: approve,
  QueryApprovedChaincodeDefinition: queryApproved,
  QueryApprovedChaincodeDefinitions: queryApprovedAll,
  CheckCommitReadiness: checkCommitReadiness,
  CommitChaincodeDefinition: commit,
  QueryChaincodeDefinition: queryChaincodeDefinition,
  QueryChaincodeDefinitions: queryChaincodeDefinitions,
};

/**
 * Runs one `_lifecycle` invocation (args = [function name, marshaled lb.<Function>Args]) and answers as
 * Fabric's SCC.Invoke: 200 with the marshaled result, 404 for an undefined namespace or a package
 * not installed, else 500 "failed to invoke backing implementation of '<fn>': ...".
 * The ACL check is the dispatcher's (scc/).
 */
export async function invokeLifecycle(stub: SccStub, ctx: LifecycleContext): Promise<peer.Response> {
  const fnName = Buffer.from(stub.args[0]).toString();
  const fn = Object.prototype.hasOwnProperty.call(LIFECYCLE_FUNCTIONS, fnName)
    ? LIFECYCLE_FUNCTIONS[fnName]
    : undefined;
  try {
    if (!fn) throw new Error(`receiver *lifecycle.Invocation.${fnName} does not exist`);
    const result = await fn(stub, ctx, stub.args[1]);
    return response(200, '', result.serializeBinary());
  } catch (err) {
    if (err instanceof NamespaceNotDefinedError || err instanceof CodePackageNotFoundError)
      return response(404, err.message);
    return response(500, `failed to invoke backing implementation of '${fnName}': ${(err as Error).message}`);
  }
}

function response(status: number, message: string, payload?: Uint8Array): peer.Response {
  const r = new peer.Response();
  r.setStatus(status);
  r.setMessage(message);
  if (payload) r.setPayload(payload);
  return r;
}

function decode<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new Error(`failed to decode input arg to ${what}: ${(err as Error).message}`);
  }
}

async function installChaincode(
  _stub: SccStub,
  ctx: LifecycleContext,
  arg: Uint8Array,
): Promise<peer.lifecycle.InstallChaincodeResult> {
  const input = decode('InstallChaincode', () => lb.InstallChaincodeArgs.deserializeBinary(arg));
  const ic = await ctx.store.install(input.getChaincodeInstallPackage_asU8());
  const r = new lb.InstallChaincodeResult();
  r.setLabel(ic.label);
  r.setPackageId(ic.packageId);
  return r;
}

async function queryInstalledChaincode(
  _stub: SccStub,
  ctx: LifecycleContext,
  arg: Uint8Array,
): Promise<peer.lifecycle.QueryInstalledChaincodeResult> {
  const input = decode('QueryInstalledChaincode', () =>
    lb.QueryInstalledChaincodeArgs.deserializeBinary(arg),
  );
  const ic = ctx.store.get(input.getPackageId());
  // Fabric looks this up in its lifecycle cache, whose error is a plain one: status 500, not 404.
  if (!ic) throw new Error(`could not find chaincode with package id '${input.getPackageId()}'`);
  const r = new lb.QueryInstalledChaincodeResult();
  r.setLabel(ic.label);
  r.setPackageId(ic.packageId);
  for (const [channel, ccs] of ctx.references(ic.packageId)) {
    const refs = new lb.QueryInstalledChaincodeResult.References();
    refs.setChaincodesList(
      ccs.map((c) => {
        const m = new lb.QueryInstalledChaincodeResult.Chaincode();
        m.setName(c.name);
        m.setVersion(c.version);
        return m;
      }),
    );
    r.getReferencesMap().set(channel, refs);
  }
  return r;
}

async function getInstalledChaincodePackage(
  _stub: SccStub,
  ctx: LifecycleContext,
  arg: Uint8Array,
): Promise<peer.lifecycle.GetInstalledChaincodePackageResult> {
  const input = decode('GetInstalledChaincodePackage', () =>
    lb.GetInstalledChaincodePackageArgs.deserializeBinary(arg),
  );
  let bytes: Uint8Array;
  try {
    bytes = ctx.store.load(input.getPackageId());
  } catch (err) {
    if (err instanceof CodePackageNotFoundError) throw new CodePackageNotFoundError(input.getPackageId());
    throw new Error(`could not load cc install package: ${(err as Error).message}`);
  }
  const r = new lb.GetInstalledChaincodePackageResult();
  r.setChaincodeInstallPackage(bytes);
  return r;
}

async function queryInstalledChaincodes(
  _stub: SccStub,
  ctx: LifecycleContext,
): Promise<peer.lifecycle.QueryInstalledChaincodesResult> {
  const r = new lb.QueryInstalledChaincodesResult();
  r.setInstalledChaincodesList(
    ctx.store.list().map((ic) => {
      const m = new lb.QueryInstalledChaincodesResult.InstalledChaincode();
      m.setLabel(ic.label);
      m.setPackageId(ic.packageId);
      for (const [channel, ccs] of ctx.references(ic.packageId)) {
        const refs = new lb.QueryInstalledChaincodesResult.References();
        refs.setChaincodesList(
          ccs.map((c) => {
            const x = new lb.QueryInstalledChaincodesResult.Chaincode();
            x.setName(c.name);
            x.setVersion(c.version);
            return x;
          }),
        );
        m.getReferencesMap().set(channel, refs);
      }
      return m;
    }),
  );
  return r;
}

/** The org's own implicit collection as a readable/writable state. */
function ownOrgState(stub: SccStub, ctx: LifecycleContext): ReadWritableState {
  const coll = implicitCollectionName(ctx.mspId);
  return {
    getState: (key) => stub.getPrivateData(coll, key),
    putState: (key, value) => stub.putPrivateData(coll, key, value),
    delState: (key) => stub.delPrivateData(coll, key),
  };
}

/** Every channel org's implicit collection, hashes only. */
function opaqueStates(stub: SccStub, ctx: LifecycleContext): OpaqueState[] {
  if (stub.channelId === '') throw new Error(`no application config for channel '${stub.channelId}'`);
  return ctx.orgMspIds.map((mspId) => {
    const coll = implicitCollectionName(mspId);
    return { collectionName: coll, getStateHash: (key: string) => stub.getPrivateDataHash(coll, key) };
  });
}

function publicState(stub: SccStub): ReadWritableState {
  return {
    getState: (k) => stub.getState(k),
    putState: (k, v) => stub.putState(k, v),
    delState: (k) => stub.delState(k),
  };
}

function definitionFrom(input: {
  getSequence(): number;
  getVersion(): string;
  getEndorsementPlugin(): string;
  getInitRequired(): boolean;
  getValidationPlugin(): string;
  getValidationParameter_asU8(): Uint8Array;
  getCollections(): peer.CollectionConfigPackage | undefined;
}): LifecycleDefinition {
  const ei = new lb.ChaincodeEndorsementInfo();
  ei.setVersion(input.getVersion());
  ei.setEndorsementPlugin(input.getEndorsementPlugin());
  ei.setInitRequired(input.getInitRequired());
  const vi = new lb.ChaincodeValidationInfo();
  vi.setValidationPlugin(input.getValidationPlugin());
  vi.setValidationParameter(input.getValidationParameter_asU8());
  const collections = new peer.CollectionConfigPackage();
  const given = input.getCollections();
  if (given) collections.setConfigList(given.getConfigList());
  return { sequence: input.getSequence(), endorsementInfo: ei, validationInfo: vi, collections };
}

function applyDefaults(d: LifecycleDefinition, ctx: LifecycleContext, channelId: string): void {
  if (d.validationInfo.getValidationParameter_asU8().length === 0 && !ctx.hasDefaultEndorsementPolicy) {
    throw new Error(
      `could not set defaults for chaincode definition in channel ${channelId}: policy '/Channel/Application/Endorsement' must be defined for channel '${channelId}' before chaincode operations can be attempted`,
    );
  }
  setDefaults(d);
}

/**
 * Fabric's Invocation.validateInput: name, version, collection names, counts and member orgs, and
 * that no committed collection is dropped or has its blockToLive changed (read from the committed
 * definition without recording the read, as Fabric's query executor does).
 */
async function validateInput(
  name: string,
  version: string,
  collections: peer.CollectionConfigPackage | undefined,
  ctx: LifecycleContext,
  stub: SccStub,
): Promise<void> {
  const fail = (m: string): never => {
    throw new Error(`error validating chaincode definition: ${m}`);
  };
  if (!CHAINCODE_NAME.test(name))
    fail(
      `invalid chaincode name '${name}'. Names can only consist of alphanumerics, '_', and '-' and can only begin with alphanumerics`,
    );
  if (SYSTEM_CHAINCODES.has(name)) fail(`chaincode name '${name}' is the name of a system chaincode`);
  if (!CHAINCODE_VERSION.test(version))
    fail(
      `invalid chaincode version '${version}'. Versions can only consist of alphanumerics, '_', '-', '+', and '.'`,
    );
  const seen = new Set<string>();
  for (const c of collections?.getConfigList() ?? []) {
    const s = c.getStaticCollectionConfig();
    if (!s) fail('collection config contains unexpected payload type');
    const coll = s!;
    if (!COLLECTION_NAME.test(coll.getName()))
      fail(
        `invalid collection name '${coll.getName()}'. Names can only consist of alphanumerics, '_', and '-' and cannot begin with '_'`,
      );
    if (seen.has(coll.getName()))
      fail(`collection-name: ${coll.getName()} -- found duplicate in collection configuration`);
    seen.add(coll.getName());
    if (coll.getMaximumPeerCount() < coll.getRequiredPeerCount())
      fail(
        `collection-name: ${coll.getName()} -- maximum peer count (${coll.getMaximumPeerCount()}) cannot be less than the required peer count (${coll.getRequiredPeerCount()})`,
      );
    if (coll.getRequiredPeerCount() < 0)
      fail(
        `collection-name: ${coll.getName()} -- requiredPeerCount (${coll.getRequiredPeerCount()}) cannot be less than zero`,
      );
    const policy = coll.getMemberOrgsPolicy()?.getSignaturePolicy();
    if (!policy) fail(`collection member policy is not set for collection '${coll.getName()}'`);
    for (const p of policy!.getIdentitiesList()) {
      if (p.getPrincipalClassification() !== msp.MSPPrincipal.Classification.ROLE) continue;
      const org = msp.MSPRole.deserializeBinary(p.getPrincipal_asU8()).getMspIdentifier();
      if (!ctx.orgMspIds.includes(org))
        fail(`collection-name: ${coll.getName()} -- collection member '${org}' is not part of the channel`);
    }
  }
  const committed =
    stub.channelId === ''
      ? undefined
      : await readCommittedDefinition(name, { getState: (k) => stub.getCommittedState(k) });
  const old = committed?.collections.getConfigList() ?? [];
  if (old.length === 0) return;
  const proposed = new Map(
    (collections?.getConfigList() ?? []).map((c) => [
      c.getStaticCollectionConfig()?.getName(),
      c.getStaticCollectionConfig(),
    ]),
  );
  if (proposed.size === 0)
    fail('the proposed collection config does not contain previously defined collections');
  for (const c of old) {
    const was = c.getStaticCollectionConfig();
    if (!was) fail('unknown collection configuration type');
    const now = proposed.get(was!.getName());
    if (!now)
      fail(`existing collection [${was!.getName()}] missing in the proposed collection configuration`);
    if (now!.getBlockToLive() !== was!.getBlockToLive())
      fail(
        `the BlockToLive in an existing collection [${was!.getName()}] modified. Existing value [${was!.getBlockToLive()}]`,
      );
  }
}

async function approve(
  stub: SccStub,
  ctx: LifecycleContext,
  arg: Uint8Array,
): Promise<peer.lifecycle.ApproveChaincodeDefinitionForMyOrgResult> {
  const input = decode('ApproveChaincodeDefinitionForMyOrg', () =>
    lb.ApproveChaincodeDefinitionForMyOrgArgs.deserializeBinary(arg),
  );
  const name = input.getName();
  await validateInput(name, input.getVersion(), input.getCollections(), ctx, stub);
  const source = input.getSource();
  const packageId =
    source?.getTypeCase() === lb.ChaincodeSource.TypeCase.LOCAL_PACKAGE
      ? (source.getLocalPackage()?.getPackageId() ?? '')
      : '';
  const cd = definitionFrom(input);
  const pub = publicState(stub);
  const org = ownOrgState(stub, ctx);
  const current = await readInt64Field(NAMESPACES_NAME, name, 'Sequence', pub).catch((e: Error) => {
    throw new Error(`could not get current sequence: ${e.message}`);
  });
  const requested = cd.sequence;
  if (current === requested && requested === 0)
    throw new Error('requested sequence is 0, but first definable sequence number is 1');
  if (requested < current)
    throw new Error(`currently defined sequence ${current} is larger than requested sequence ${requested}`);
  if (requested > current + 1)
    throw new Error(
      `requested sequence ${requested} is larger than the next available sequence number ${current + 1}`,
    );
  applyDefaults(cd, ctx, stub.channelId);
  const pn = privateName(name, requested);
  if (requested === current) {
    const defined = await readCommittedDefinition(name, pub);
    if (!defined) throw new Error(`missing metadata for currently committed sequence number (${current})`);
    const mismatch = parametersMismatch(defined, cd);
    if (mismatch)
      throw new Error(
        `attempted to redefine the current committed sequence (${current}) for namespace ${name} with different parameters: ${mismatch}`,
      );
    if (await isAttemptToRedefine(pn, packageId, cd, org))
      throw new Error(
        `attempted to redefine the current committed sequence (${current}) for namespace ${name}`,
      );
  } else if (await isAttemptToRedefine(pn, packageId, cd, org)) {
    throw new Error(
      `attempted to redefine uncommitted sequence (${requested}) for namespace ${name} with unchanged content`,
    );
  }
  try {
    await serialize(NAMESPACES_NAME, pn, parametersStructure(cd), org);
  } catch (err) {
    throw new Error(`could not serialize chaincode parameters to state: ${(err as Error).message}`);
  }
  try {
    await serialize(CHAINCODE_SOURCES_NAME, pn, localPackageStructure(packageId), org);
  } catch (err) {
    throw new Error(`could not serialize chaincode package info to state: ${(err as Error).message}`);
  }
  return new lb.ApproveChaincodeDefinitionForMyOrgResult();
}

async function isAttemptToRedefine(
  pn: string,
  packageId: string,
  cd: LifecycleDefinition,
  org: ReadWritableState,
): Promise<boolean> {
  const md = await readMetadata(NAMESPACES_NAME, pn, org);
  if (!md) return false;
  const params = await readParameters(NAMESPACES_NAME, pn, org);
  if (parametersMismatch(params, cd) !== undefined) return false;
  const srcMd = await readMetadata(CHAINCODE_SOURCES_NAME, pn, org);
  if (!srcMd) return false;
  const [name, seq] = pn.split('#');
  return (await readLocalPackage(name, Number(seq), org)) === packageId;
}

async function queryApproved(
  stub: SccStub,
  ctx: LifecycleContext,
  arg: Uint8Array,
): Promise<peer.lifecycle.QueryApprovedChaincodeDefinitionResult> {
  const input = decode('QueryApprovedChaincodeDefinition', () =>
    lb.QueryApprovedChaincodeDefinitionArgs.deserializeBinary(arg),
  );
  const name = input.getName();
  const org = ownOrgState(stub, ctx);
  let requested = input.getSequence();
  if (requested === 0) {
    const current = await readInt64Field(NAMESPACES_NAME, name, 'Sequence', publicState(stub));
    requested = (await readMetadata(NAMESPACES_NAME, privateName(name, current + 1), org))
      ? current + 1
      : current;
  }
  const pn = privateName(name, requested);
  const md = await readMetadata(NAMESPACES_NAME, pn, org);
  if (!md)
    throw new Error(
      `could not fetch approved chaincode definition (name: '${name}', sequence: '${requested}') on channel '${stub.channelId}'`,
    );
  if (md.getDatatype() !== CHAINCODE_PARAMETERS_TYPE)
    throw new Error(`not a chaincode parameters type: ${md.getDatatype()}`);
  const params = await readParameters(NAMESPACES_NAME, pn, org);
  if (!(await readMetadata(CHAINCODE_SOURCES_NAME, pn, org)))
    throw new Error(`could not fetch chaincode-source metadata for ${pn}`);
  const packageId = (await readLocalPackage(name, requested, org)) ?? '';
  const src = newChaincodeSource(packageId);
  const r = new lb.QueryApprovedChaincodeDefinitionResult();
  r.setSequence(requested);
  r.setVersion(params.endorsementInfo.getVersion());
  r.setEndorsementPlugin(params.endorsementInfo.getEndorsementPlugin());
  r.setValidationPlugin(params.validationInfo.getValidationPlugin());
  r.setValidationParameter(params.validationInfo.getValidationParameter_asU8());
  r.setInitRequired(params.endorsementInfo.getInitRequired());
  r.setCollections(params.collections);
  r.setSource(src);
  return r;
}

async function queryApprovedAll(
  stub: SccStub,
  ctx: LifecycleContext,
): Promise<peer.lifecycle.QueryApprovedChaincodeDefinitionsResult> {
  const coll = implicitCollectionName(ctx.mspId);
  const prefix = `${NAMESPACES_NAME}/metadata/`;
  const org = ownOrgState(stub, ctx);
  const r = new lb.QueryApprovedChaincodeDefinitionsResult();
  const list: peer.lifecycle.QueryApprovedChaincodeDefinitionsResult.ApprovedChaincodeDefinition[] = [];
  for (const key of (await stub.getPrivateDataRange(coll, prefix, `${prefix}\x7f`)).keys()) {
    const pn = key.slice(prefix.length);
    const [name, seqText] = pn.split('#');
    const sequence = Number(seqText);
    if (name === undefined || seqText === undefined || !Number.isInteger(sequence)) {
      throw new Error(
        `could not extract chaincode name and sequence number from metadata: invalid private name format: ${pn}`,
      );
    }
    const params = await readParameters(NAMESPACES_NAME, pn, org);
    const packageId = (await readLocalPackage(name, sequence, org)) ?? '';
    const m = new lb.QueryApprovedChaincodeDefinitionsResult.ApprovedChaincodeDefinition();
    m.setName(name);
    m.setSequence(sequence);
    m.setVersion(params.endorsementInfo.getVersion());
    m.setEndorsementPlugin(params.endorsementInfo.getEndorsementPlugin());
    m.setValidationPlugin(params.validationInfo.getValidationPlugin());
    m.setValidationParameter(params.validationInfo.getValidationParameter_asU8());
    m.setInitRequired(params.endorsementInfo.getInitRequired());
    m.setCollections(params.collections);
    m.setSource(newChaincodeSource(packageId));
    list.push(m);
  }
  r.setApprovedChaincodeDefinitionsList(list);
  return r;
}

async function orgApprovals(
  name: string,
  cd: LifecycleDefinition,
  states: OpaqueState[],
): Promise<{ approvals: Map<string, boolean>; mismatches: Map<string, string[]> }> {
  const approvals = new Map<string, boolean>();
  const mismatches = new Map<string, string[]>();
  for (const s of states) {
    const { match, mismatches: items } = await isSerialized(
      NAMESPACES_NAME,
      privateName(name, cd.sequence),
      parametersStructure(cd),
      s,
    );
    const org = s.collectionName.slice('_implicit_org_'.length);
    approvals.set(org, match);
    if (items.length > 0) mismatches.set(org, items);
  }
  return { approvals, mismatches };
}

async function readiness(
  stub: SccStub,
  ctx: LifecycleContext,
  name: string,
  cd: LifecycleDefinition,
): Promise<{ approvals: Map<string, boolean>; mismatches: Map<string, string[]> }> {
  const current = await readInt64Field(NAMESPACES_NAME, name, 'Sequence', publicState(stub)).catch(
    (e: Error) => {
      throw new Error(`could not get current sequence: ${e.message}`);
    },
  );
  if (cd.sequence !== current + 1)
    throw new Error(
      `requested sequence is ${cd.sequence}, but new definition must be sequence ${current + 1}`,
    );
  applyDefaults(cd, ctx, stub.channelId);
  return orgApprovals(name, cd, opaqueStates(stub, ctx));
}

async function checkCommitReadiness(
  stub: SccStub,
  ctx: LifecycleContext,
  arg: Uint8Array,
): Promise<peer.lifecycle.CheckCommitReadinessResult> {
  const input = decode('CheckCommitReadiness', () => lb.CheckCommitReadinessArgs.deserializeBinary(arg));
  const cd = definitionFrom(input);
  const { approvals, mismatches } = await readiness(stub, ctx, input.getName(), cd);
  const r = new lb.CheckCommitReadinessResult();
  for (const [org, ok] of approvals) r.getApprovalsMap().set(org, ok);
  for (const [org, items] of mismatches) {
    const m = new lb.CheckCommitReadinessResult.Mismatches();
    m.setItemsList(items);
    r.getMismatchesMap().set(org, m);
  }
  return r;
}

async function commit(
  stub: SccStub,
  ctx: LifecycleContext,
  arg: Uint8Array,
): Promise<peer.lifecycle.CommitChaincodeDefinitionResult> {
  const input = decode('CommitChaincodeDefinition', () =>
    lb.CommitChaincodeDefinitionArgs.deserializeBinary(arg),
  );
  await validateInput(input.getName(), input.getVersion(), input.getCollections(), ctx, stub);
  if (stub.channelId === '') throw new Error(`no application config for channel '${stub.channelId}'`);
  if (!ctx.orgMspIds.includes(ctx.mspId))
    throw new Error("impossibly, this peer's org is processing requests for a channel it is not a member of");
  const cd = definitionFrom(input);
  const { approvals } = await readiness(stub, ctx, input.getName(), cd);
  try {
    await serialize(NAMESPACES_NAME, input.getName(), definitionStructure(cd), publicState(stub));
  } catch (err) {
    throw new Error(`could not serialize chaincode definition: ${(err as Error).message}`);
  }
  if (!approvals.get(ctx.mspId))
    throw new Error(`chaincode definition not agreed to by this org (${ctx.mspId})`);
  return new lb.CommitChaincodeDefinitionResult();
}

async function queryChaincodeDefinition(
  stub: SccStub,
  ctx: LifecycleContext,
  arg: Uint8Array,
): Promise<peer.lifecycle.QueryChaincodeDefinitionResult> {
  const input = decode('QueryChaincodeDefinition', () =>
    lb.QueryChaincodeDefinitionArgs.deserializeBinary(arg),
  );
  const name = input.getName();
  let def: LifecycleDefinition | undefined;
  try {
    def = await readCommittedDefinition(name, publicState(stub));
  } catch (err) {
    throw new Error(`could not deserialize namespace ${name} as chaincode: ${(err as Error).message}`);
  }
  if (!def) throw new NamespaceNotDefinedError(name);
  const { approvals } = await orgApprovals(name, def, opaqueStates(stub, ctx));
  const r = new lb.QueryChaincodeDefinitionResult();
  r.setSequence(def.sequence);
  r.setVersion(def.endorsementInfo.getVersion());
  r.setEndorsementPlugin(def.endorsementInfo.getEndorsementPlugin());
  r.setValidationPlugin(def.validationInfo.getValidationPlugin());
  r.setValidationParameter(def.validationInfo.getValidationParameter_asU8());
  r.setInitRequired(def.endorsementInfo.getInitRequired());
  r.setCollections(def.collections);
  for (const [org, ok] of approvals) r.getApprovalsMap().set(org, ok);
  return r;
}

async function queryChaincodeDefinitions(
  stub: SccStub,
): Promise<peer.lifecycle.QueryChaincodeDefinitionsResult> {
  // Fabric's DeserializeAllMetadata: a range over namespaces/metadata/ of the public state.
  const prefix = `${NAMESPACES_NAME}/metadata/`;
  const all = await stub.getStateRange(prefix, `${prefix}\x7f`);
  const r = new lb.QueryChaincodeDefinitionsResult();
  const list: peer.lifecycle.QueryChaincodeDefinitionsResult.ChaincodeDefinition[] = [];
  for (const [key, bytes] of all) {
    const md = lb.StateMetadata.deserializeBinary(bytes);
    const type =
      md.getDatatype() === CHAINCODE_DEFINITION_TYPE ? FRIENDLY_CHAINCODE_DEFINITION_TYPE : md.getDatatype();
    if (type !== FRIENDLY_CHAINCODE_DEFINITION_TYPE) continue;
    const name = key.slice(prefix.length);
    const def = await readCommittedDefinition(name, publicState(stub));
    if (!def) continue;
    const m = new lb.QueryChaincodeDefinitionsResult.ChaincodeDefinition();
    m.setName(name);
    m.setSequence(def.sequence);
    m.setVersion(def.endorsementInfo.getVersion());
    m.setEndorsementPlugin(def.endorsementInfo.getEndorsementPlugin());
    m.setValidationPlugin(def.validationInfo.getValidationPlugin());
    m.setValidationParameter(def.validationInfo.getValidationParameter_asU8());
    m.setInitRequired(def.endorsementInfo.getInitRequired());
    m.setCollections(def.collections);
    list.push(m);
  }
  r.setChaincodeDefinitionsList(list);
  return r;
}
