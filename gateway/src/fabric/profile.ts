import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ConfigError, formatIssues } from '../config';

/** `host:port`, as Fabric writes peer endpoints. */
const endpointPattern = /^[A-Za-z0-9.-]+:\d{1,5}$/;

const profileSchema = z.looseObject({
  mspId: z.string().min(1),
  channel: z.string().regex(/^[a-z][a-z0-9.-]*$/, 'a Fabric channel name (lower case, starts with a letter)'),
  chaincode: z.looseObject({ name: z.string().min(1), version: z.string().optional() }),
  peerEndpoint: z.string().regex(endpointPattern, 'host:port'),
  peerHostAlias: z.string().min(1),
  tlsCaCertPath: z.string().min(1),
  certPath: z.string().min(1),
  keyPath: z.string().min(1),
});

/**
 * The connection profile network-config writes to `<home>/profiles/<MSPID>.json`: which peer's
 * Gateway service to call, the TLS CA that signed its server certificate, and the client identity
 * (enrolment certificate and PKCS#8 private key) the HTTP gateway signs with. Relative paths are
 * resolved against the profile's folder.
 */
export interface ConnectionProfile {
  mspId: string;
  channel: string;
  chaincode: { name: string; version?: string };
  /** `host:port` of the peer's gRPC listener (Gateway service). */
  peerEndpoint: string;
  /** TLS server name to check the peer's certificate against (a DNS SAN of that certificate). */
  peerHostAlias: string;
  tlsCaCertPath: string;
  certPath: string;
  keyPath: string;
}

/** Validates a parsed profile object; `source` names it in errors. Throws {@link ConfigError}. */
export function parseConnectionProfile(value: unknown, source: string, baseDir = '.'): ConnectionProfile {
  const result = profileSchema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(`invalid connection profile ${source}: ${formatIssues(result.error.issues)}`);
  }
  const p = result.data;
  const abs = (file: string): string => path.resolve(baseDir, file);
  return {
    mspId: p.mspId,
    channel: p.channel,
    chaincode: { name: p.chaincode.name, version: p.chaincode.version },
    peerEndpoint: p.peerEndpoint,
    peerHostAlias: p.peerHostAlias,
    tlsCaCertPath: abs(p.tlsCaCertPath),
    certPath: abs(p.certPath),
    keyPath: abs(p.keyPath),
  };
}

/** Reads and validates the connection profile at `file`. Throws {@link ConfigError} naming the file. */
export function loadConnectionProfile(file: string): ConnectionProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read connection profile ${file} (GATEWAY_PROFILE): ${(err as Error).message}; ` +
        'generate the network first (npm run network:up) or set GATEWAY_PROFILE',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`connection profile ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConnectionProfile(value, file, path.dirname(file));
}
