import { peer } from '@hyperledger/fabric-protos';

/**
 * What the peer tells a chaincode in READY about the batched requests it accepts (Fabric 3.1's
 * core.yaml `chaincode.runtimeParams`, sent as ChaincodeAdditionalParams). Fabric 2.5 sends READY
 * with no payload, and a shim then never batches; devnet does the same unless these are set.
 */
export interface ChaincodeRuntimeParams {
  /** The peer takes a transaction's writes in WRITE_BATCH_STATE messages. */
  useWriteBatch: boolean;
  /** How many writes the shim puts in one WRITE_BATCH_STATE message. */
  maxSizeWriteBatch: number;
  /** The peer answers GET_STATE_MULTIPLE. */
  useGetMultipleKeys: boolean;
  /** How many keys the shim asks for in one GET_STATE_MULTIPLE message. */
  maxSizeGetMultipleKeys: number;
}

/** Fabric 3.1's sampleconfig/core.yaml values, taken when a setting turns batching on. */
const FABRIC_DEFAULT_MAX_SIZE = 1000;

const ENV_PREFIX = 'CORE_CHAINCODE_RUNTIMEPARAMS_';

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[ENV_PREFIX + name];
  if (raw === undefined || raw === '') return false;
  const value = raw.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`${ENV_PREFIX}${name} must be true or false, not '${raw}'`);
}

function size(env: NodeJS.ProcessEnv, name: string): number {
  const raw = env[ENV_PREFIX + name];
  if (raw === undefined || raw === '') return FABRIC_DEFAULT_MAX_SIZE;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 0xffffffff) {
    throw new Error(`${ENV_PREFIX}${name} must be a whole number from 1, not '${raw}'`);
  }
  return value;
}

/**
 * The runtime parameters from the environment variables a Fabric 3.1 peer reads for them
 * (`CORE_CHAINCODE_RUNTIMEPARAMS_USEWRITEBATCH=true`, `..._MAXSIZEWRITEBATCH`,
 * `..._USEGETMULTIPLEKEYS`, `..._MAXSIZEGETMULTIPLEKEYS`), or undefined when neither kind of batch
 * is turned on: READY then goes without a payload, as Fabric 2.5's does. Throws on a value that is
 * not a boolean or a positive whole number, naming the variable.
 */
export function runtimeParamsFromEnv(env: NodeJS.ProcessEnv): ChaincodeRuntimeParams | undefined {
  const params: ChaincodeRuntimeParams = {
    useWriteBatch: flag(env, 'USEWRITEBATCH'),
    maxSizeWriteBatch: size(env, 'MAXSIZEWRITEBATCH'),
    useGetMultipleKeys: flag(env, 'USEGETMULTIPLEKEYS'),
    maxSizeGetMultipleKeys: size(env, 'MAXSIZEGETMULTIPLEKEYS'),
  };
  return params.useWriteBatch || params.useGetMultipleKeys ? params : undefined;
}

/** READY's payload: empty without runtime parameters (Fabric 2.5), else ChaincodeAdditionalParams. */
export function readyPayload(params: ChaincodeRuntimeParams | undefined): Uint8Array {
  if (!params) return new Uint8Array(0);
  const msg = new peer.ChaincodeAdditionalParams();
  msg.setUseWriteBatch(params.useWriteBatch);
  msg.setMaxSizeWriteBatch(params.maxSizeWriteBatch);
  msg.setUseGetMultipleKeys(params.useGetMultipleKeys);
  msg.setMaxSizeGetMultipleKeys(params.maxSizeGetMultipleKeys);
  return msg.serializeBinary();
}
