import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { ENROLLMENT_ID_PATTERN } from '../auth/principal';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** A Fabric identity as the wallet keeps it. */
export interface WalletIdentity {
  mspId: string;
  /** PEM enrolment certificate. */
  certificate: string;
  /** PEM (PKCS#8) private key. */
  privateKey: string;
}

/** scrypt cost (N = 2^15, r = 8, p = 1): ~32 MiB and tens of ms, paid once per identity load. */
const KDF = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

const fileSchema = z.object({
  version: z.literal(1),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number(), r: z.number(), p: z.number(), salt: z.string() }),
  iv: z.string(),
  tag: z.string(),
  ciphertext: z.string(),
});

/** Thrown when a wallet file cannot be decrypted (wrong passphrase, or the file was altered). */
export class WalletError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WalletError';
  }
}

/**
 * Fabric identities on disk, encrypted at rest: one file per label (`<label>.id`, mode 0600), the
 * identity JSON sealed with AES-256-GCM under a key derived from the passphrase with scrypt (a
 * fresh salt and IV per file; the label is authenticated data, so a file renamed to another
 * label does not open).
 */
export class FileWallet {
  constructor(
    private readonly dir: string,
    private readonly passphrase: string,
  ) {}

  /** The identity stored under `label`, or undefined. @throws WalletError when it does not decrypt. */
  async get(label: string): Promise<WalletIdentity | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.fileOf(label), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new WalletError(`wallet entry ${label} is not a wallet file`);
    const f = parsed.data;
    const key = await scrypt(this.passphrase, Buffer.from(f.kdf.salt, 'base64'), 32, {
      N: f.kdf.N,
      r: f.kdf.r,
      p: f.kdf.p,
      maxmem: KDF.maxmem,
    });
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(f.iv, 'base64'));
    decipher.setAAD(Buffer.from(label, 'utf8'));
    decipher.setAuthTag(Buffer.from(f.tag, 'base64'));
    try {
      const plain = Buffer.concat([decipher.update(Buffer.from(f.ciphertext, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as WalletIdentity;
    } catch {
      throw new WalletError(`wallet entry ${label} does not decrypt: wrong passphrase or altered file`);
    }
  }

  /** Stores (replaces) the identity under `label`, atomically. */
  async put(label: string, identity: WalletIdentity): Promise<void> {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const key = await scrypt(this.passphrase, salt, 32, KDF);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(label, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
    const file = {
      version: 1,
      kdf: { name: 'scrypt', N: KDF.N, r: KDF.r, p: KDF.p, salt: salt.toString('base64') },
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const target = this.fileOf(label);
    const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    await fs.writeFile(temp, JSON.stringify(file), { mode: 0o600 });
    await fs.rename(temp, target);
  }

  /** The file of a label; labels are enrollment ids, checked so none escapes the folder. */
  private fileOf(label: string): string {
    if (!ENROLLMENT_ID_PATTERN.test(label))
      throw new WalletError(`invalid wallet label ${JSON.stringify(label)}`);
    return path.join(this.dir, `${label}.id`);
  }
}
