import type { common } from '@hyperledger/fabric-protos';
import type { OrganizationDescriptor } from '../types';
import { newApplicationOrgGroup } from './encoder';
import { ministryPolicies } from './profile';

/**
 * A ministry's config group under /Channel/Application (MSP, Readers/Writers/Admins/Endorsement
 * policies, its first peer as anchor peer), as `configtxgen -printOrg` prints it for a config
 * update: the same group the genesis block gives every ministry of the list.
 */
export function ministryConfigGroup(org: OrganizationDescriptor): common.ConfigGroup {
  const anchor = org.peers[0];
  return newApplicationOrgGroup({
    name: org.mspId,
    id: org.mspId,
    mspDir: org.mspDir,
    policies: ministryPolicies(org.mspId),
    anchorPeers: anchor === undefined ? [] : [{ host: anchor.host, port: anchor.port }],
  });
}
