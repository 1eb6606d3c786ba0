import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { subtle, type CryptoKey } from './provider';

/** ECDSA P-256, the only key algorithm cryptogen uses by default (`csp.GeneratePrivateKey`, "ecdsa"). */
export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** A key pair and its private key as PKCS#8 PEM (what cryptogen stores as `priv_sk`). */
export interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  pkcs8Pem: string;
}

/** Wraps DER bytes in PEM armor with 64-column lines, as Go's `pem.Encode` does. */
export function toPem(type: string, der: ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der as ArrayBuffer).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

/** Generates an ECDSA P-256 key pair; the private key is extractable so it can be written as PKCS#8. */
export async function generateKeyPair(): Promise<KeyPair> {
  const pair = (await subtle.generateKey(ECDSA_P256, true, ['sign', 'verify'])) as {
    privateKey: CryptoKey;
    publicKey: CryptoKey;
  };
  const pkcs8 = await subtle.exportKey('pkcs8', pair.privateKey);
  return { privateKey: pair.privateKey, publicKey: pair.publicKey, pkcs8Pem: toPem('PRIVATE KEY', pkcs8) };
}

/**
 * Generates a key pair and stores its private key as `<dir>/priv_sk` with mode 0600,
 * like cryptogen's `csp.GeneratePrivateKey`.
 */
export async function generatePrivateKey(dir: string): Promise<KeyPair> {
  const keys = await generateKeyPair();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'priv_sk'), keys.pkcs8Pem, { mode: 0o600 });
  return keys;
}

/**
 * Loads a PKCS#8 PEM ECDSA P-256 private key for signing.
 * @throws Error naming the file when it is not a PKCS#8 P-256 key.
 */
export async function loadPrivateKey(file: string): Promise<CryptoKey> {
  const pem = fs.readFileSync(file, 'utf8');
  const match = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem);
  if (!match) throw new Error(`${file} does not hold a PKCS#8 PEM private key ("BEGIN PRIVATE KEY")`);
  try {
    return await subtle.importKey(
      'pkcs8',
      Buffer.from(match[1].replace(/\s+/g, ''), 'base64'),
      ECDSA_P256,
      false,
      ['sign'],
    );
  } catch (err) {
    throw new Error(`${file} is not an ECDSA P-256 private key: ${(err as Error).message}`);
  }
}

/**
 * Subject key identifier as cryptogen computes it (RFC 7093 section 2 method 4):
 * SHA-256 of the uncompressed public point. Returned as hex.
 */
export async function computeSKI(publicKey: CryptoKey): Promise<string> {
  const raw = await subtle.exportKey('raw', publicKey);
  return createHash('sha256').update(Buffer.from(raw)).digest('hex');
}
