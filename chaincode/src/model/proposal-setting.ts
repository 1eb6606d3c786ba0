import type { JsonObject } from '../lib/canonical';
import { InputObject } from '../lib/input';
import { StateCorruptError } from '../lib/errors';
import type { Enactment } from './rule-versioning';
import {
  AMOUNT_PATTERN,
  AMOUNT_RULE,
  CURRENCY_CODE_PATTERN,
  CURRENCY_CODE_RULE,
  type CurrencyPolicy,
} from './token';

/**
 * Governed settings, changed only by enacted proposals. `quorum` decides how many registered
 * ministries must approve a proposal: a majority of them (the default) or a fixed count.
 * `currency` is the supply policy of the central bank's currency (model/token's CurrencyPolicy;
 * none by default: nothing can be minted before one is enacted).
 */
export const SETTING_NAMES = ['quorum', 'currency'] as const;

/** One of {@link SETTING_NAMES}. */
export type SettingName = (typeof SETTING_NAMES)[number];

/** The quorum setting's value. */
export type QuorumValue = { mode: 'majority' } | { mode: 'count'; count: number };

/** The default quorum: a majority of the registered ministries. */
export const DEFAULT_QUORUM: QuorumValue = { mode: 'majority' };

/** A setting proposal's content. */
export type SettingContent =
  | { name: 'quorum'; value: QuorumValue }
  | { name: 'currency'; value: CurrencyPolicy };

/** The value of any setting. */
export type SettingValue = SettingContent['value'];

/** A setting under `gov.setting` [name]: every enacted value, oldest first; the last is in force. */
export interface Setting {
  docType: 'setting';
  name: SettingName;
  versions: (Enactment & { value: SettingValue })[];
}

/**
 * Parses a setting proposal's content.
 * @throws InvalidArgumentError naming the first bad field.
 */
export function parseSettingContent(input: InputObject): SettingContent {
  input.rejectUnknownFields(['name', 'value']);
  const name = input.oneOf('name', SETTING_NAMES);
  const value = InputObject.parse(`${input.argName}.value`, JSON.stringify(input.object('value')));
  if (name === 'currency') {
    return { name, value: parseCurrencyPolicy(value) };
  }
  const mode = value.oneOf('mode', ['majority', 'count'] as const);
  if (mode === 'majority') {
    value.rejectUnknownFields(['mode']);
    return { name, value: { mode } };
  }
  value.rejectUnknownFields(['mode', 'count']);
  return { name, value: { mode, count: value.integer('count', 1, 64) } };
}

/** Most decimal digits of a minor unit. */
const MAX_MINOR_UNITS = 4;

/** Parses the `currency` setting's value. */
function parseCurrencyPolicy(value: InputObject): CurrencyPolicy {
  value.rejectUnknownFields(['code', 'minorUnits', 'maxSupply']);
  return {
    code: value.string('code', CURRENCY_CODE_PATTERN, CURRENCY_CODE_RULE),
    minorUnits: value.integer('minorUnits', 0, MAX_MINOR_UNITS),
    maxSupply: value.string('maxSupply', AMOUNT_PATTERN, AMOUNT_RULE),
  };
}

/** Approvals a proposal needs under `quorum` when `registered` ministries are registered. */
export function requiredApprovals(quorum: QuorumValue, registered: number): number {
  return quorum.mode === 'majority' ? Math.floor(registered / 2) + 1 : quorum.count;
}

/**
 * Types a parsed world-state value as a setting.
 * @throws StateCorruptError when it is not one.
 */
export function asSetting(value: JsonObject, name: string): Setting {
  if (value.docType !== 'setting' || value.name !== name || !Array.isArray(value.versions)) {
    throw new StateCorruptError(`state under setting ${name} is not a setting`);
  }
  return value as unknown as Setting;
}
