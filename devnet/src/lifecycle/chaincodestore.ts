import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChaincodeServerEndpoint } from '../chaincode/definition';
import { packageIdOf, parseChaincodePackage, type ParsedPackage } from './ccaaspackage';

/** An installed package (Fabric's chaincode.InstalledChaincode without references). */
export interface InstalledChaincode {
  packageId: string;
  label: string;
  /** The parsed package (ccaas connection.json included). */
  parsed: ParsedPackage;
}

/** Fabric's persistence.CodePackageNotFoundErr: the SCC answers it with status 404. */
export class CodePackageNotFoundError extends Error {
  constructor(readonly packageId: string) {
    super(`chaincode install package '${packageId}' not found`);
  }
}

/**
 * The peer's installed chaincode packages (Fabric's persistence.Store under
 * `<peer fs>/lifecycle/chaincodes`): `<label>.<hash>.tar.gz` files in `<nodeDir>/lifecycle/chaincodes`,
 * written atomically. Parsed packages are kept in memory.
 */
export class ChaincodeStore {
  private readonly installed = new Map<string, InstalledChaincode>();

  private constructor(private readonly dir: string) {}

  /** Opens (creates) the store and parses every package already installed. */
  static async open(dir: string): Promise<ChaincodeStore> {
    fs.mkdirSync(dir, { recursive: true });
    const store = new ChaincodeStore(dir);
    for (const f of fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.tar.gz'))
      .sort()) {
      const bytes = fs.readFileSync(path.join(dir, f));
      const parsed = await parseChaincodePackage(bytes);
      const packageId = packageIdOf(parsed.label, bytes);
      store.installed.set(packageId, { packageId, label: parsed.label, parsed });
    }
    return store;
  }

  /**
   * Installs a package (Fabric's InstallChaincode): parses it, refuses one already installed with
   * "chaincode already successfully installed (package ID '...')", stores it durably.
   */
  async install(bytes: Uint8Array): Promise<InstalledChaincode> {
    if (bytes.length === 0) throw new Error('could not parse as a chaincode install package: empty package');
    const parsed = await parseChaincodePackage(bytes);
    const packageId = packageIdOf(parsed.label, bytes);
    if (this.installed.has(packageId))
      throw new Error(`chaincode already successfully installed (package ID '${packageId}')`);
    const file = this.fileOf(packageId);
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    const ic = { packageId, label: parsed.label, parsed };
    this.installed.set(packageId, ic);
    return ic;
  }

  /** The installed package, or undefined. */
  get(packageId: string): InstalledChaincode | undefined {
    return this.installed.get(packageId);
  }

  /** The package file's bytes; throws {@link CodePackageNotFoundError}. */
  load(packageId: string): Uint8Array {
    if (!this.installed.has(packageId)) throw new CodePackageNotFoundError(packageId);
    return fs.readFileSync(this.fileOf(packageId));
  }

  /** Every installed package, sorted by package id. */
  list(): InstalledChaincode[] {
    return [...this.installed.values()].sort((a, b) => a.packageId.localeCompare(b.packageId));
  }

  /**
   * Where this peer dials the package's chaincode server (Fabric's extcc runtime reads connection.json
   * the same way): the address, and the TLS root / client certificates written beside the package as
   * files for the chaincode client. Undefined when the package is not installed or not ccaas.
   */
  endpoint(packageId: string): ChaincodeServerEndpoint | undefined {
    const conn = this.installed.get(packageId)?.parsed.connection;
    if (!conn) return undefined;
    const endpoint: ChaincodeServerEndpoint = { address: conn.address };
    if (!conn.tls_required) return endpoint;
    const dir = `${this.fileOf(packageId).slice(0, -'.tar.gz'.length)}.connection`;
    fs.mkdirSync(dir, { recursive: true });
    const put = (name: string, pem: string | undefined): string | undefined => {
      if (pem === undefined || pem === '') return undefined;
      const file = path.join(dir, name);
      if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== pem)
        fs.writeFileSync(file, pem, { mode: 0o600 });
      return file;
    };
    endpoint.rootCertPath = put('root_cert.pem', conn.root_cert);
    if (conn.client_auth_required) {
      endpoint.clientCertPath = put('client_cert.pem', conn.client_cert);
      endpoint.clientKeyPath = put('client_key.pem', conn.client_key);
    }
    return endpoint;
  }

  private fileOf(packageId: string): string {
    const i = packageId.lastIndexOf(':');
    return path.join(this.dir, `${packageId.slice(0, i)}.${packageId.slice(i + 1)}.tar.gz`);
  }
}
