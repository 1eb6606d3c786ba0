import { peer } from '@hyperledger/fabric-protos';
import {
  CHAINCODE_SOURCES_NAME,
  NAMESPACES_NAME,
  readField,
  readMetadata,
  type Structure,
} from './serializer';

const lb = peer.lifecycle;

/** Fabric's lifecycle.ChaincodeDefinition: what `_lifecycle` commits to the public state. */
export interface LifecycleDefinition {
  sequence: number;
  endorsementInfo: peer.lifecycle.ChaincodeEndorsementInfo;
  validationInfo: peer.lifecycle.ChaincodeValidationInfo;
  collections: peer.CollectionConfigPackage;
}

/** Fabric's type names (they are part of the serialized metadata). */
export const CHAINCODE_DEFINITION_TYPE = 'ChaincodeDefinition';
/** Type name of what an org approves (Fabric's ChaincodeParameters). */
export const CHAINCODE_PARAMETERS_TYPE = 'ChaincodeParameters';
/** Type name of an org's package choice (Fabric's ChaincodeLocalPackage). */
export const CHAINCODE_LOCAL_PACKAGE_TYPE = 'ChaincodeLocalPackage';
/** What QueryNamespaceDefinitions reports for a chaincode (FriendlyChaincodeDefinitionType). */
export const FRIENDLY_CHAINCODE_DEFINITION_TYPE = 'Chaincode';
/** The channel policy a definition without a validation parameter gets (DefaultEndorsementPolicyRef). */
export const DEFAULT_ENDORSEMENT_POLICY_REF = '/Channel/Application/Endorsement';
/** The policy a commit of a definition needs (LifecycleEndorsementPolicyRef). */
export const LIFECYCLE_ENDORSEMENT_POLICY_REF = '/Channel/Application/LifecycleEndorsement';

/** Fabric's ChaincodeDefinition fields in declaration order. */
export function definitionStructure(d: LifecycleDefinition): Structure {
  return {
    datatype: CHAINCODE_DEFINITION_TYPE,
    fields: [['Sequence', { int64: d.sequence }], ...parametersStructure(d).fields],
  };
}

/** Fabric's ChaincodeParameters (what an org approves, without the sequence). */
export function parametersStructure(d: Omit<LifecycleDefinition, 'sequence'>): Structure {
  return {
    datatype: CHAINCODE_PARAMETERS_TYPE,
    fields: [
      ['EndorsementInfo', { bytes: d.endorsementInfo.serializeBinary() }],
      ['ValidationInfo', { bytes: d.validationInfo.serializeBinary() }],
      ['Collections', { bytes: d.collections.serializeBinary() }],
    ],
  };
}

/** Fabric's ChaincodeLocalPackage: the package an org runs for a definition ('' = none). */
export function localPackageStructure(packageId: string): Structure {
  return { datatype: CHAINCODE_LOCAL_PACKAGE_TYPE, fields: [['PackageID', { string: packageId }]] };
}

/** `<name>#<sequence>`, the key of an org's approval (Fabric's privateName). */
export function privateName(name: string, sequence: number): string {
  return `${name}#${sequence}`;
}

/** The default ApplicationPolicy bytes: a reference to /Channel/Application/Endorsement. */
export function defaultEndorsementPolicyBytes(): Uint8Array {
  const ap = new peer.ApplicationPolicy();
  ap.setChannelConfigPolicyReference(DEFAULT_ENDORSEMENT_POLICY_REF);
  return ap.serializeBinary();
}

/** Fills empty plugin names and validation parameter as Fabric's SetChaincodeDefinitionDefaults. */
export function setDefaults(d: LifecycleDefinition): void {
  if (d.endorsementInfo.getEndorsementPlugin() === '') d.endorsementInfo.setEndorsementPlugin('escc');
  if (d.validationInfo.getValidationPlugin() === '') d.validationInfo.setValidationPlugin('vscc');
  if (d.validationInfo.getValidationParameter_asU8().length === 0)
    d.validationInfo.setValidationParameter(defaultEndorsementPolicyBytes());
}

type Readable = { getState(key: string): Promise<Uint8Array | undefined> };

/** The committed definition of `name` from the public `_lifecycle` state, or undefined. */
export async function readCommittedDefinition(
  name: string,
  state: Readable,
): Promise<LifecycleDefinition | undefined> {
  const md = await readMetadata(NAMESPACES_NAME, name, state);
  if (!md) return undefined;
  if (md.getDatatype() !== CHAINCODE_DEFINITION_TYPE)
    throw new Error(`not a chaincode type: ${md.getDatatype()}`);
  return {
    sequence: (await readField(NAMESPACES_NAME, name, 'Sequence', state)).getInt64(),
    ...(await readParameters(NAMESPACES_NAME, name, state)),
  };
}

/** The parameters stored under `<prefix>/fields/<name>/...`. */
export async function readParameters(
  prefix: string,
  name: string,
  state: Readable,
): Promise<Omit<LifecycleDefinition, 'sequence'>> {
  const bytes = async (f: string): Promise<Uint8Array> =>
    (await readField(prefix, name, f, state)).getBytes_asU8();
  return {
    endorsementInfo: lb.ChaincodeEndorsementInfo.deserializeBinary(await bytes('EndorsementInfo')),
    validationInfo: lb.ChaincodeValidationInfo.deserializeBinary(await bytes('ValidationInfo')),
    collections: peer.CollectionConfigPackage.deserializeBinary(await bytes('Collections')),
  };
}

/** The package id an org approved for `<name>#<seq>` from its own private state, or undefined. */
export async function readLocalPackage(
  name: string,
  sequence: number,
  orgState: Readable,
): Promise<string | undefined> {
  const pn = privateName(name, sequence);
  const md = await readMetadata(CHAINCODE_SOURCES_NAME, pn, orgState);
  if (!md) return undefined;
  return (await readField(CHAINCODE_SOURCES_NAME, pn, 'PackageID', orgState)).getString();
}

/** The ApplicationPolicy of a definition's validation parameter (undefined when it is not one). */
export function applicationPolicy(d: LifecycleDefinition): peer.ApplicationPolicy | undefined {
  try {
    return peer.ApplicationPolicy.deserializeBinary(d.validationInfo.getValidationParameter_asU8());
  } catch {
    return undefined;
  }
}

/** Equality of parameters with Fabric's ChaincodeParameters.Equal messages; undefined when equal. */
export function parametersMismatch(
  a: Omit<LifecycleDefinition, 'sequence'>,
  b: Omit<LifecycleDefinition, 'sequence'>,
): string | undefined {
  const ea = a.endorsementInfo;
  const eb = b.endorsementInfo;
  const va = a.validationInfo;
  const vb = b.validationInfo;
  if (ea.getVersion() !== eb.getVersion())
    return `expected Version '${ea.getVersion()}' does not match passed Version '${eb.getVersion()}'`;
  if (ea.getEndorsementPlugin() !== eb.getEndorsementPlugin())
    return `expected EndorsementPlugin '${ea.getEndorsementPlugin()}' does not match passed EndorsementPlugin '${eb.getEndorsementPlugin()}'`;
  if (ea.getInitRequired() !== eb.getInitRequired())
    return `expected InitRequired '${ea.getInitRequired()}' does not match passed InitRequired '${eb.getInitRequired()}'`;
  if (va.getValidationPlugin() !== vb.getValidationPlugin())
    return `expected ValidationPlugin '${va.getValidationPlugin()}' does not match passed ValidationPlugin '${vb.getValidationPlugin()}'`;
  const pa = Buffer.from(va.getValidationParameter_asU8());
  const pb = Buffer.from(vb.getValidationParameter_asU8());
  if (!pa.equals(pb))
    return `expected ValidationParameter '${pa.toString('hex')}' does not match passed ValidationParameter '${pb.toString('hex')}'`;
  if (!Buffer.from(a.collections.serializeBinary()).equals(Buffer.from(b.collections.serializeBinary())))
    return 'Collections do not match';
  return undefined;
}
