import { common, peer } from '@hyperledger/fabric-protos';
import { checkSccACL, type AclIdentity, type LocalMsp } from './acl';

const signed = new peer.SignedProposal();
signed.setProposalBytes(Buffer.from('proposal'));
signed.setSignature(Buffer.from('good'));

const ids: Record<string, AclIdentity> = {
  admin: {
    mspId: 'AMSP',
    isAdmin: true,
    role: 'admin',
    verify: (_m, s) => Buffer.from(s).toString() === 'good',
  },
  client: {
    mspId: 'AMSP',
    isAdmin: false,
    role: 'client',
    verify: (_m, s) => Buffer.from(s).toString() === 'good',
  },
  other: { mspId: 'BMSP', isAdmin: true, role: 'admin', verify: () => true },
};
const local: LocalMsp = {
  mspId: 'AMSP',
  deserializeIdentity: (s) => {
    const id = ids[Buffer.from(s).toString()];
    if (!id) throw new Error('unknown identity');
    return id;
  },
};

/** A bundle whose Readers policy lets only `client` in and whose ACLs send GetChainInfo to Writers. */
function bundle(acl?: string) {
  const policies: Record<string, { evaluate(sd: { identity: Uint8Array }[]): void }> = {
    '/Channel/Application/Readers': {
      evaluate: (sd) => {
        if (Buffer.from(sd[0].identity).toString() !== 'client') throw new Error('not a reader');
      },
    },
    '/Channel/Application/Writers': {
      evaluate: () => {
        throw new Error('nobody writes');
      },
    },
  };
  const config =
    acl === undefined
      ? undefined
      : (() => {
          const acls = new peer.ACLs();
          const a = new peer.APIResource();
          a.setPolicyRef(acl);
          acls.getAclsMap().set('qscc/GetChainInfo', a);
          const value = new common.ConfigValue();
          value.setValue(acls.serializeBinary());
          const app = new common.ConfigGroup();
          app.getValuesMap().set('ACLs', value);
          const ch = new common.ConfigGroup();
          ch.getGroupsMap().set('Application', app);
          const cfg = new common.Config();
          cfg.setChannelGroup(ch);
          return cfg;
        })();
  return { channelId: 'ch', config, msps: local, policies: { getPolicy: (p: string) => policies[p] } };
}

describe('system chaincode ACLs (Fabric defaults)', () => {
  it('lets only local admins install (_lifecycle/InstallChaincode = Admins)', () => {
    expect(() =>
      checkSccACL('_lifecycle/InstallChaincode', signed, Buffer.from('admin'), local),
    ).not.toThrow();
    expect(() => checkSccACL('_lifecycle/InstallChaincode', signed, Buffer.from('client'), local)).toThrow(
      "Failed verifying that proposal's creator satisfies local MSP principal during channelless check policy with policy [Admins]: [The identity is not an admin under this MSP [AMSP]]",
    );
    expect(() => checkSccACL('_lifecycle/InstallChaincode', signed, Buffer.from('other'), local)).toThrow(
      /expected MSP ID AMSP, received BMSP/,
    );
  });

  it('lets any local member list channels (cscc/GetChannels = Members)', () => {
    expect(() => checkSccACL('cscc/GetChannels', signed, Buffer.from('client'), local)).not.toThrow();
    const bad = new peer.SignedProposal();
    bad.setProposalBytes(Buffer.from('proposal'));
    bad.setSignature(Buffer.from('forged'));
    expect(() => checkSccACL('cscc/GetChannels', bad, Buffer.from('client'), local)).toThrow(
      /signature is invalid/,
    );
  });

  it('checks channel resources against the channel policy, following the channel ACLs', () => {
    expect(() =>
      checkSccACL('qscc/GetChainInfo', signed, Buffer.from('client'), local, bundle()),
    ).not.toThrow();
    expect(() => checkSccACL('qscc/GetChainInfo', signed, Buffer.from('admin'), local, bundle())).toThrow(
      'failed evaluating policy on signed data during check policy [/Channel/Application/Readers]: [not a reader]',
    );
    expect(() =>
      checkSccACL(
        'qscc/GetChainInfo',
        signed,
        Buffer.from('client'),
        local,
        bundle('/Channel/Application/Writers'),
      ),
    ).toThrow(/check policy \[\/Channel\/Application\/Writers\]: \[nobody writes\]/);
    expect(() =>
      checkSccACL('_lifecycle/CommitChaincodeDefinition', signed, Buffer.from('client'), local, bundle()),
    ).toThrow(/Writers/);
  });
});
