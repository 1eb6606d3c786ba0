import { common } from '@hyperledger/fabric-protos';
// The DSL's own module: the package index would load the crypto generators into every peer (~17 MB).
import {
  nOutOf,
  signaturePolicyFromString,
  signedBy,
} from '@govfabric/network-config/dist/configtx/policydsl';
import { rolePrincipal } from '../msp/principals';

/**
 * Fabric's policy language (fabric common/policydsl): one parser for govfabric, kept in network-config
 * (which writes policies into the genesis block) and used by devnet to read chaincode and collection
 * policies.
 */
export { nOutOf, signedBy };

/** Parses a policy string like `OR('ImmigrationMSP.peer','EducationMSP.peer')` (fabric policydsl.FromString). */
export function fromString(policy: string): common.SignaturePolicyEnvelope {
  return signaturePolicyFromString(policy);
}

/** `OutOf(n, 'A.role', 'B.role', ...)` over ROLE principals, one per MSP (fabric SignedByNOutOfGivenRole). */
export function signedByNOutOfGivenRole(
  n: number,
  role: 'member' | 'admin' | 'client' | 'peer' | 'orderer',
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
