import type { peer } from '@hyperledger/fabric-protos';
import { checkChannelACL } from '../aclmgmt';
import type { EndorserBundle } from '../endorser/deps';

/** Fabric's peer-level policies for resources outside any channel (aclmgmt policy.Admins / Members). */
export type LocalPolicy = 'Admins' | 'Members';

/** Fabric's default ACLs of the system chaincode resources (core/aclmgmt/defaultaclprovider.go). */
export const DEFAULT_SCC_ACLS: Record<string, LocalPolicy | string> = {
  '_lifecycle/InstallChaincode': 'Admins',
  '_lifecycle/QueryInstalledChaincode': 'Admins',
  '_lifecycle/GetInstalledChaincodePackage': 'Admins',
  '_lifecycle/QueryInstalledChaincodes': 'Admins',
  '_lifecycle/ApproveChaincodeDefinitionForMyOrg': 'Admins',
  '_lifecycle/QueryApprovedChaincodeDefinition': 'Admins',
  '_lifecycle/QueryApprovedChaincodeDefinitions': 'Admins',
  '_lifecycle/CommitChaincodeDefinition': '/Channel/Application/Writers',
  '_lifecycle/QueryChaincodeDefinition': '/Channel/Application/Writers',
  '_lifecycle/QueryChaincodeDefinitions': '/Channel/Application/Writers',
  '_lifecycle/CheckCommitReadiness': '/Channel/Application/Writers',
  'qscc/GetChainInfo': '/Channel/Application/Readers',
  'qscc/GetBlockByNumber': '/Channel/Application/Readers',
  'qscc/GetBlockByHash': '/Channel/Application/Readers',
  'qscc/GetTransactionByID': '/Channel/Application/Readers',
  'qscc/GetBlockByTxID': '/Channel/Application/Readers',
  'cscc/JoinChain': 'Admins',
  'cscc/GetChannels': 'Members',
  'cscc/GetConfigBlock': '/Channel/Application/Readers',
  'cscc/GetChannelConfig': '/Channel/Application/Readers',
};

/** A deserialized identity as the ACL check needs it (msp Identity). */
export interface AclIdentity {
  mspId: string;
  isAdmin?: boolean;
  role?: string;
  expiresAt?: Date;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** The peer's local MSP: its own organization's MSP (Fabric's mspmgmt.GetLocalMSP). */
export interface LocalMsp {
  mspId: string;
  deserializeIdentity(serialized: Uint8Array): AclIdentity;
}

/**
 * Fabric's aclmgmt CheckACL for a system chaincode resource: peer-level resources are checked against
 * the local MSP (Admins: an admin of this peer's org; Members: any valid member), channel resources
 * against the channel policy the channel config's ACLs name (default from {@link DEFAULT_SCC_ACLS}).
 * Throws with Fabric's wording.
 */
export function checkSccACL(
  resource: string,
  signed: peer.SignedProposal,
  creator: Uint8Array,
  local: LocalMsp,
  bundle?: EndorserBundle,
): void {
  const fallback = DEFAULT_SCC_ACLS[resource] ?? '/Channel/Application/Writers';
  if (fallback === 'Admins' || fallback === 'Members') {
    checkLocal(fallback, signed, creator, local);
    return;
  }
  if (!bundle)
    throw new Error(`failed to get policy manager for channel: no channel for resource ${resource}`);
  checkChannelACL(bundle, resource, fallback, signed, creator);
}

function checkLocal(
  policy: LocalPolicy,
  signed: peer.SignedProposal,
  creator: Uint8Array,
  local: LocalMsp,
): void {
  const fail = (why: string): never => {
    throw new Error(
      `Failed verifying that proposal's creator satisfies local MSP principal during channelless check policy with policy [${policy}]: [${why}]`,
    );
  };
  let id: AclIdentity;
  try {
    id = local.deserializeIdentity(creator);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (id.mspId !== local.mspId)
    fail(`the supplied identity is not valid: expected MSP ID ${local.mspId}, received ${id.mspId}`);
  if (id.expiresAt !== undefined && id.expiresAt.getTime() <= Date.now())
    fail('the supplied identity is not valid: certificate has expired');
  if (!id.verify(signed.getProposalBytes_asU8(), signed.getSignature_asU8()))
    fail('the supplied identity is not valid: signature is invalid');
  if (policy === 'Admins' && !(id.isAdmin === true || id.role === 'admin'))
    fail(`The identity is not an admin under this MSP [${local.mspId}]`);
}
