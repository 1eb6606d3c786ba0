import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ChaincodeSource, DeployOptions } from './network';

/** Default port shift of another chaincode's servers (chaincodePort + shift). */
const DEFAULT_PORT_SHIFT = 100;

/**
 * Parses `devnet deploy [<name> <module path> [port shift]] [options]`: without a name, the network's
 * own chaincode; the options are the peer CLI's definition flags. Throws naming a bad argument.
 */
export function parseDeployArgs(argv: string[]): { source?: ChaincodeSource; options: DeployOptions } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      version: { type: 'string' },
      sequence: { type: 'string' },
      'signature-policy': { type: 'string' },
      'channel-config-policy': { type: 'string' },
      'collections-config': { type: 'string' },
      'init-required': { type: 'boolean' },
      'chaincode-tls': { type: 'string' },
    },
  });
  const options: DeployOptions = {};
  if (values.version !== undefined) options.version = values.version;
  if (values.sequence !== undefined) {
    const n = Number(values.sequence);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new Error(`--sequence must be a positive integer, not ${values.sequence}`);
    options.sequence = n;
  }
  if (values['signature-policy'] !== undefined) options.signaturePolicy = values['signature-policy'];
  if (values['channel-config-policy'] !== undefined)
    options.channelConfigPolicy = values['channel-config-policy'];
  if (options.signaturePolicy !== undefined && options.channelConfigPolicy !== undefined)
    throw new Error('--signature-policy and --channel-config-policy cannot both be given');
  if (values['collections-config'] !== undefined)
    options.collectionsConfig = path.resolve(values['collections-config']);
  if (values['init-required'] === true) options.initRequired = true;
  const [name, modulePath, shift] = positionals;
  if (positionals.length > 3) throw new Error(`unexpected arguments: ${positionals.slice(3).join(' ')}`);
  if (name === undefined) return { options };
  const portShift = shift === undefined ? DEFAULT_PORT_SHIFT : Number(shift);
  if (!Number.isSafeInteger(portShift) || portShift < 0)
    throw new Error(`port shift must be a non-negative integer, not ${shift}`);
  const tls = values['chaincode-tls'];
  if (tls !== undefined && tls !== 'true' && tls !== 'false')
    throw new Error(`--chaincode-tls must be true or false, not ${tls}`);
  return {
    source: {
      name,
      version: '1.0',
      modulePath: path.resolve(modulePath ?? '.'),
      portShift,
      ...(tls === 'false' ? { tls: false } : {}),
    },
    options,
  };
}
