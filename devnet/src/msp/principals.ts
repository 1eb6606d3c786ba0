import { msp as mspProto } from '@hyperledger/fabric-protos';

/** Name of an MSPRole.MSPRoleType value ('MEMBER', 'ADMIN', 'CLIENT', 'PEER', 'ORDERER'). */
export function roleTypeName(role: number): string {
  const entry = Object.entries(mspProto.MSPRole.MSPRoleType).find(([, v]) => v === role);
  return entry ? entry[0] : `UNKNOWN(${role})`;
}

/** Name of an MSPPrincipal.Classification value. */
export function principalTypeName(classification: number): string {
  const entry = Object.entries(mspProto.MSPPrincipal.Classification).find(([, v]) => v === classification);
  return entry ? entry[0] : `UNKNOWN(${classification})`;
}

/** An MSPPrincipal of classification ROLE: `mspId` with `role` (e.g. 'peer'). */
export function rolePrincipal(
  mspId: string,
  role: 'member' | 'admin' | 'client' | 'peer' | 'orderer',
): mspProto.MSPPrincipal {
  const r = new mspProto.MSPRole();
  r.setMspIdentifier(mspId);
  r.setRole(mspProto.MSPRole.MSPRoleType[role.toUpperCase() as keyof mspProto.MSPRole.MSPRoleTypeMap]);
  const p = new mspProto.MSPPrincipal();
  p.setPrincipalClassification(mspProto.MSPPrincipal.Classification.ROLE);
  p.setPrincipal(r.serializeBinary());
  return p;
}

/** An MSPPrincipal of classification IDENTITY for a serialized identity. */
export function identityPrincipal(serializedIdentity: Uint8Array): mspProto.MSPPrincipal {
  const p = new mspProto.MSPPrincipal();
  p.setPrincipalClassification(mspProto.MSPPrincipal.Classification.IDENTITY);
  p.setPrincipal(serializedIdentity);
  return p;
}

/** An MSPPrincipal of classification ORGANIZATION_UNIT. */
export function ouPrincipal(
  mspId: string,
  ou: string,
  certifiersIdentifier: Uint8Array = new Uint8Array(0),
): mspProto.MSPPrincipal {
  const o = new mspProto.OrganizationUnit();
  o.setMspIdentifier(mspId);
  o.setOrganizationalUnitIdentifier(ou);
  o.setCertifiersIdentifier(certifiersIdentifier);
  const p = new mspProto.MSPPrincipal();
  p.setPrincipalClassification(mspProto.MSPPrincipal.Classification.ORGANIZATION_UNIT);
  p.setPrincipal(o.serializeBinary());
  return p;
}
