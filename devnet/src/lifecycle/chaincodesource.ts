import { peer } from '@hyperledger/fabric-protos';

/**
 * The lifecycle ChaincodeSource for an org's approval: the local package `packageId`, or
 * Unavailable when it is '' (as `peer lifecycle chaincode approveformyorg` without --package-id
 * sends it and `_lifecycle` answers it in QueryApprovedChaincodeDefinition).
 */
export function newChaincodeSource(packageId: string): peer.lifecycle.ChaincodeSource {
  const src = new peer.lifecycle.ChaincodeSource();
  if (packageId !== '') {
    const local = new peer.lifecycle.ChaincodeSource.Local();
    local.setPackageId(packageId);
    src.setLocalPackage(local);
  } else {
    src.setUnavailable(new peer.lifecycle.ChaincodeSource.Unavailable());
  }
  return src;
}
