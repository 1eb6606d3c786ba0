import { common } from '@hyperledger/fabric-protos';
import type { SignedData } from '../protoutil/signeddata';
import { unmarshal, unpackEnvelope } from '../protoutil/unmarshalers';
import {
  configMapToConfig,
  groupsEqual,
  mapConfig,
  modPolicyOf,
  versionOf,
  type ConfigItem,
} from './configmap';

/** The policies the validator evaluates, by absolute path (policies.PolicyManager satisfies it). */
export interface PolicyLookup {
  getPolicy(path: string): { evaluate(signedData: SignedData[]): void } | undefined;
}

/** The ConfigUpdateEnvelope of a CONFIG_UPDATE envelope (fabric protoutil.EnvelopeToConfigUpdate). */
export function envelopeToConfigUpdate(env: common.Envelope): common.ConfigUpdateEnvelope {
  const unpacked = unpackEnvelope(env);
  if (unpacked.channelHeader.getType() !== common.HeaderType.CONFIG_UPDATE) {
    throw new Error(`not a tx of type CONFIG_UPDATE (type ${unpacked.channelHeader.getType()})`);
  }
  return unmarshal(
    'ConfigUpdateEnvelope',
    common.ConfigUpdateEnvelope.deserializeBinary,
    unpacked.payload.getData_asU8(),
  );
}

/** The signatures of a ConfigUpdateEnvelope as SignedData (fabric ConfigUpdateEnvelopeAsSignedData). */
export function configUpdateSignedData(env: common.ConfigUpdateEnvelope): SignedData[] {
  const update = env.getConfigUpdate_asU8();
  return env.getSignaturesList().map((sig) => {
    const shdr = unmarshal(
      'SignatureHeader',
      common.SignatureHeader.deserializeBinary,
      sig.getSignatureHeader_asU8(),
    );
    return {
      data: Buffer.concat([sig.getSignatureHeader_asU8(), update]),
      identity: shdr.getCreator_asU8(),
      signature: sig.getSignature_asU8(),
    };
  });
}

/**
 * Fabric's channel config validator (common/configtx ValidatorImpl): authorizes a ConfigUpdate
 * against the current config — read set versions must match, each changed element must be at its
 * current version + 1 (a new one at 0) and its existing element's mod_policy must be satisfied by
 * the update's signatures — and computes the next config. The orderer uses it to turn a
 * CONFIG_UPDATE into a CONFIG; peers use it to validate a CONFIG transaction. General: any element
 * (adding an organization, changing an MSP or a policy), not a special case.
 */
export class ConfigValidator {
  private readonly configMap: Map<string, ConfigItem>;

  constructor(
    readonly channelId: string,
    readonly config: common.Config,
    private readonly policies: PolicyLookup,
  ) {
    this.configMap = mapConfig(config.getChannelGroup());
  }

  get sequence(): number {
    return this.config.getSequence();
  }

  /** The ConfigEnvelope a CONFIG_UPDATE envelope leads to (fabric ProposeConfigUpdate). */
  proposeConfigUpdate(configtx: common.Envelope): common.ConfigEnvelope {
    let updateEnv: common.ConfigUpdateEnvelope;
    try {
      updateEnv = envelopeToConfigUpdate(configtx);
    } catch (err) {
      throw new Error(`error converting envelope to config update: ${(err as Error).message}`);
    }
    let channelGroup: common.ConfigGroup;
    try {
      channelGroup = configMapToConfig(this.authorizeUpdate(updateEnv));
    } catch (err) {
      throw new Error(`error authorizing update: ${(err as Error).message}`);
    }
    const config = new common.Config();
    config.setSequence(this.sequence + 1);
    config.setChannelGroup(channelGroup);
    const out = new common.ConfigEnvelope();
    out.setConfig(config);
    out.setLastUpdate(configtx);
    return out;
  }

  /** Checks that a CONFIG transaction's config is what its last_update yields (fabric Validate). */
  validate(configEnv: common.ConfigEnvelope): void {
    const config = configEnv.getConfig();
    if (config === undefined) throw new Error('config envelope has nil config');
    if (config.getSequence() !== this.sequence + 1) {
      throw new Error(
        `config currently at sequence ${this.sequence}, cannot validate config at sequence ${config.getSequence()}`,
      );
    }
    const lastUpdate = configEnv.getLastUpdate();
    if (lastUpdate === undefined) throw new Error('config envelope has no last_update');
    const proposed = configMapToConfig(this.authorizeUpdate(envelopeToConfigUpdate(lastUpdate)));
    if (!groupsEqual(proposed, config.getChannelGroup() ?? new common.ConfigGroup())) {
      throw new Error('ConfigEnvelope LastUpdate did not produce the supplied config result');
    }
  }

  /** fabric authorizeUpdate: the full proposed config map. */
  private authorizeUpdate(updateEnv: common.ConfigUpdateEnvelope): Map<string, ConfigItem> {
    const update = unmarshal(
      'ConfigUpdate',
      common.ConfigUpdate.deserializeBinary,
      updateEnv.getConfigUpdate_asU8(),
    );
    if (update.getChannelId() !== this.channelId) {
      throw new Error(
        `ConfigUpdate for channel '${update.getChannelId()}' but envelope for channel '${this.channelId}'`,
      );
    }
    const readSet = mapConfig(update.getReadSet());
    for (const [key, item] of readSet) {
      const existing = this.configMap.get(key);
      if (existing === undefined)
        throw new Error(
          `error validating ReadSet: existing config does not contain element for ${key} but was in the read set`,
        );
      if (versionOf(existing) !== versionOf(item)) {
        throw new Error(
          `error validating ReadSet: proposed update requires that key ${key} be at version ${versionOf(item)}, but it is currently at version ${versionOf(existing)}`,
        );
      }
    }
    const writeSet = mapConfig(update.getWriteSet());
    const delta = new Map(
      [...writeSet].filter(
        ([key, item]) => readSet.get(key) === undefined || versionOf(readSet.get(key)!) !== versionOf(item),
      ),
    );
    this.verifyDeltaSet(delta, configUpdateSignedData(updateEnv));
    const full = new Map([...this.configMap, ...delta]);
    return full;
  }

  private verifyDeltaSet(delta: Map<string, ConfigItem>, signedData: SignedData[]): void {
    if (delta.size === 0)
      throw new Error('error validating DeltaSet: delta set was empty -- update would have no effect');
    for (const [key, item] of delta) {
      const mod = modPolicyOf(item);
      if (mod === '')
        throw new Error(
          `error validating DeltaSet: invalid mod_policy for element ${key}: mod_policy not set`,
        );
      const existing = this.configMap.get(key);
      if (existing === undefined) {
        if (versionOf(item) !== 0) {
          throw new Error(
            `error validating DeltaSet: attempted to set key ${key} to version ${versionOf(item)}, but key does not exist`,
          );
        }
        continue;
      }
      if (versionOf(item) !== versionOf(existing) + 1) {
        throw new Error(
          `error validating DeltaSet: attempt to set key ${key} to version ${versionOf(item)}, but key is at version ${versionOf(existing)}`,
        );
      }
      const path = policyPathFor(existing);
      const policy = this.policies.getPolicy(path);
      if (policy === undefined)
        throw new Error(`error validating DeltaSet: unexpected missing policy ${path} for item ${key}`);
      try {
        policy.evaluate(signedData);
      } catch (err) {
        throw new Error(
          `error validating DeltaSet: policy for ${key} not satisfied: ${(err as Error).message}`,
        );
      }
    }
  }
}

/**
 * The absolute path of an element's mod_policy (fabric policyForItem): absolute as is; relative to
 * the element's parent group for values and policies, to the group itself for a group.
 */
export function policyPathFor(item: ConfigItem): string {
  const mod = modPolicyOf(item);
  if (mod.startsWith('/')) return mod;
  const base = item.kind === 'Group' ? [...item.path, item.key] : item.path;
  return `/${[...base, mod].join('/')}`;
}
