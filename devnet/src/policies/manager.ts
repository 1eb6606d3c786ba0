import { common } from '@hyperledger/fabric-protos';
import { unmarshal } from '../protoutil/unmarshalers';
import { SignaturePolicy } from './cauthdsl';
import { ImplicitMetaPolicy } from './implicitmeta';
import { NamedPolicy, RejectPolicy, type IdentityPolicy } from './policy';
import type { IdentityDeserializer } from './signatureset';

/** Policy paths Fabric itself uses (fabric common/policies/policy.go constants). */
export const PolicyPaths = {
  ChannelReaders: '/Channel/Readers',
  ChannelWriters: '/Channel/Writers',
  ChannelAdmins: '/Channel/Admins',
  ChannelApplicationReaders: '/Channel/Application/Readers',
  ChannelApplicationWriters: '/Channel/Application/Writers',
  ChannelApplicationAdmins: '/Channel/Application/Admins',
  ChannelApplicationEndorsement: '/Channel/Application/Endorsement',
  ChannelApplicationLifecycleEndorsement: '/Channel/Application/LifecycleEndorsement',
  BlockValidation: '/Channel/Orderer/BlockValidation',
  ChannelOrdererAdmins: '/Channel/Orderer/Admins',
  ChannelOrdererWriters: '/Channel/Orderer/Writers',
  ChannelOrdererReaders: '/Channel/Orderer/Readers',
} as const;

/**
 * The policies of a config group tree by path (fabric common/policies ManagerImpl): every group's
 * policies compiled once, ImplicitMeta policies bound to their sub-groups' policies.
 */
export class PolicyManager {
  private readonly policies = new Map<string, IdentityPolicy>();
  private readonly managers = new Map<string, PolicyManager>();

  /**
   * @param path the group's path without leading slash, e.g. 'Channel' or 'Channel/Application'
   * @param group the config group (its sub-groups are managed recursively)
   * @param msps deserializer for signature policies (the channel's MSPManager)
   */
  constructor(
    readonly path: string,
    group: common.ConfigGroup,
    msps: IdentityDeserializer,
  ) {
    for (const [name, sub] of group.getGroupsMap().entries()) {
      this.managers.set(name, new PolicyManager(`${path}/${name}`, sub, msps));
    }
    for (const [name, configPolicy] of group.getPoliciesMap().entries()) {
      const policy = configPolicy.getPolicy();
      if (!policy) throw new Error(`policy ${name} at path ${path} was nil`);
      this.policies.set(name, this.compilePolicy(name, policy, msps));
    }
    // Expose sub-groups' policies under relative paths, e.g. 'Application/Writers'.
    for (const [groupName, manager] of this.managers) {
      for (const [relPath, policy] of manager.policies) this.policies.set(`${groupName}/${relPath}`, policy);
    }
  }

  /** The manager of the '/Channel' group of a channel config. */
  static fromChannelConfig(config: common.Config, msps: IdentityDeserializer): PolicyManager {
    const root = config.getChannelGroup();
    if (!root) throw new Error('channel config has no channel group');
    return new PolicyManager('Channel', root, msps);
  }

  private compilePolicy(name: string, policy: common.Policy, msps: IdentityDeserializer): IdentityPolicy {
    const fullName = `/${this.path}/${name}`;
    const value = policy.getValue_asU8();
    try {
      switch (policy.getType()) {
        case common.Policy.PolicyType.SIGNATURE:
          return new SignaturePolicy(
            unmarshal('SignaturePolicyEnvelope', common.SignaturePolicyEnvelope.deserializeBinary, value),
            msps,
            fullName,
          );
        case common.Policy.PolicyType.IMPLICIT_META: {
          const imp = unmarshal('ImplicitMetaPolicy', common.ImplicitMetaPolicy.deserializeBinary, value);
          const subs = [...this.managers.values()].map(
            (m) => m.getPolicy(imp.getSubPolicy()) ?? new RejectPolicy(`/${m.path}/${imp.getSubPolicy()}`),
          );
          return new ImplicitMetaPolicy(imp.getRule(), imp.getSubPolicy(), subs, msps, fullName);
        }
        default:
          throw new Error(`unknown policy type: ${policy.getType()}`);
      }
    } catch (err) {
      throw new Error(`policy ${name} at path /${this.path} did not compile: ${(err as Error).message}`);
    }
  }

  /**
   * The policy at an absolute path ('/Channel/Application/Writers') or a path relative to this
   * group ('Application/Writers'); undefined when there is none (callers usually reject).
   */
  getPolicy(path: string): IdentityPolicy | undefined {
    if (path === '') return undefined;
    let rel = path;
    if (path.startsWith('/')) {
      const prefix = `/${this.path}/`;
      if (!path.startsWith(prefix)) return undefined;
      rel = path.slice(prefix.length);
    }
    const policy = this.policies.get(rel);
    return policy ? new NamedPolicy(`/${this.path}/${rel}`, policy) : undefined;
  }

  /** Like {@link getPolicy} but a missing policy is a policy that rejects, as Fabric returns. */
  getPolicyOrReject(path: string): IdentityPolicy {
    return this.getPolicy(path) ?? new RejectPolicy(path);
  }

  /** The sub-manager at a relative group path, e.g. ['Application', 'ImmigrationMSP']. */
  manager(path: string[]): PolicyManager | undefined {
    if (path.length === 0) return this;
    return this.managers.get(path[0])?.manager(path.slice(1));
  }

  /** Relative names of every policy this group and its sub-groups hold. */
  policyNames(): string[] {
    return [...this.policies.keys()].sort();
  }
}
