import { aclPolicyRef, PEER_DELIVER_READERS_POLICY } from './deliverservice';

describe('aclPolicyRef', () => {
  it("defaults block events to the channel's Application Readers", () => {
    expect(aclPolicyRef(undefined, 'event/Block')).toBe('/Channel/Application/Readers');
    expect(aclPolicyRef(new Map(), 'event/FilteredBlock')).toBe(PEER_DELIVER_READERS_POLICY);
  });

  it('uses the ACLs of the channel config, qualifying relative names under /Channel/Application', () => {
    const acls = new Map([
      ['event/Block', 'Writers'],
      ['event/FilteredBlock', '/Channel/Application/ImmigrationMSP/Readers'],
    ]);
    expect(aclPolicyRef(acls, 'event/Block')).toBe('/Channel/Application/Writers');
    expect(aclPolicyRef(acls, 'event/FilteredBlock')).toBe('/Channel/Application/ImmigrationMSP/Readers');
  });
});
