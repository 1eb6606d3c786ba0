import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { ClassicLevel } from 'classic-level';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** One registration attribute (Fabric CA's api.Attribute). */
export interface Attribute {
  name: string;
  value: string;
  /** Put into enrollment certificates when the enroll request names no attributes. */
  ecert?: boolean;
}

/** A registered identity (Fabric CA's user record); the secret is kept only as a salted scrypt hash. */
export interface IdentityRecord {
  id: string;
  type: string;
  affiliation: string;
  attrs: Attribute[];
  /** -1: unlimited; otherwise how many times the secret may enroll. */
  maxEnrollments: number;
  /** Enrollments done with the secret so far. */
  enrollments: number;
  /** `scrypt$<salt b64>$<hash b64>`. */
  secretHash: string;
  /** Set when the identity is revoked: it may no longer enroll or authenticate. */
  revoked: boolean;
}

/** A certificate this CA issued (Fabric CA's certificates table). */
export interface CertificateRecord {
  /** Lower-case hex serial without leading zeros (util.GetSerialAsHex, trimmed). */
  serial: string;
  /** Lower-case hex authority key identifier without leading zeros. */
  aki: string;
  id: string;
  pem: string;
  notAfter: string;
  status: 'good' | 'revoked';
  revokedAt?: string;
  /** RFC 5280 reason code. */
  reason?: number;
}

/** Canonical form of a hex serial or AKI as Fabric CA compares them (lower case, no colons, no leading zeros). */
export function normalizeHex(value: string): string {
  return value.toLowerCase().replace(/:/g, '').replace(/^0+/, '');
}

/**
 * The CA's persisted state in LevelDB (`classic-level`): identities (`id!<id>`), issued certificates
 * (`cert!<serial>!<aki>`) and affiliations (`aff!<name>`). Writes go through one queue so that
 * check-then-write sequences (register, enroll counting, revoke) never interleave.
 */
export class Registry {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly db: ClassicLevel<string, string>) {}

  /** Opens (creating if needed) the registry in `dir`. */
  static async open(dir: string): Promise<Registry> {
    const db = new ClassicLevel<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
    await db.open();
    return new Registry(db);
  }

  /** Runs `fn` after every earlier exclusive section finished. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async getIdentity(id: string): Promise<IdentityRecord | undefined> {
    return this.getJson<IdentityRecord>(`id!${id}`);
  }

  async putIdentity(record: IdentityRecord): Promise<void> {
    await this.db.put(`id!${record.id}`, JSON.stringify(record));
  }

  async listIdentities(): Promise<IdentityRecord[]> {
    return this.list<IdentityRecord>('id!');
  }

  async getCertificate(serial: string, aki: string): Promise<CertificateRecord | undefined> {
    return this.getJson<CertificateRecord>(`cert!${serial}!${aki}`);
  }

  async putCertificate(record: CertificateRecord): Promise<void> {
    await this.db.put(`cert!${record.serial}!${record.aki}`, JSON.stringify(record));
  }

  async listCertificates(): Promise<CertificateRecord[]> {
    return this.list<CertificateRecord>('cert!');
  }

  async hasAffiliation(name: string): Promise<boolean> {
    return (await this.db.get(`aff!${name}`)) !== undefined;
  }

  async addAffiliation(name: string): Promise<void> {
    await this.db.put(`aff!${name}`, '{}');
  }

  async listAffiliations(): Promise<string[]> {
    const names: string[] = [];
    for await (const key of this.db.keys({ gt: 'aff!', lt: 'aff"' })) names.push(key.slice(4));
    return names;
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private async getJson<T>(key: string): Promise<T | undefined> {
    const value = await this.db.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  private async list<T>(prefix: string): Promise<T[]> {
    const out: T[] = [];
    // '!' + 1 is '"': the range holds exactly the keys with this prefix.
    const end = `${prefix.slice(0, -1)}"`;
    for await (const value of this.db.values({ gt: prefix, lt: end })) out.push(JSON.parse(value) as T);
    return out;
  }
}

/** A salted scrypt hash of an enrollment secret. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `secret` matches a hash made by {@link hashSecret} (constant-time compare). */
export async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}
