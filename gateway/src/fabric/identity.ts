import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Identity } from '@hyperledger/fabric-gateway';
import { ConfigError } from '../config';
import { ConnectionProfile } from './profile';
import { messageSigner, type MessageSigner } from './signer';

/** Reads a file named by the profile; the error names the profile field and the path. */
function readProfileFile(file: string, field: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(
      `cannot read ${field} ${file} from the connection profile: ${(err as Error).message}`,
    );
  }
}

/** The client identity (MSP id + PEM enrolment certificate) the gateway transacts as. */
export function newIdentity(profile: ConnectionProfile): Identity {
  const credentials = readProfileFile(profile.certPath, 'certPath');
  if (!credentials.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`certPath ${profile.certPath} is not a PEM certificate`);
  }
  return { mspId: profile.mspId, credentials };
}

/**
 * A signer over the identity's private key (PKCS#8 PEM, cryptogen's `priv_sk`): it signs whole
 * messages (see signer.ts), for connectGateway.
 */
export function newSigner(profile: ConnectionProfile): MessageSigner {
  const pem = readProfileFile(profile.keyPath, 'keyPath');
  try {
    return messageSigner(createPrivateKey(pem));
  } catch (err) {
    throw new ConfigError(
      `keyPath ${profile.keyPath} is not a usable private key: ${(err as Error).message}`,
    );
  }
}
