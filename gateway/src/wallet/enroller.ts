import { readFileSync } from 'node:fs';
import FabricCAServices from 'fabric-ca-client';
import { User } from 'fabric-common';
import type { FileWallet, WalletIdentity } from './wallet';

/** The ministry's CA as the gateway uses it (network.json's `ca` of the organization). */
export interface CaSettings {
  /** e.g. `https://localhost:8054`. */
  url: string;
  /** Fabric CA's CA name (`caname`). */
  caName: string;
  /** PEM of the TLS CA the CA's HTTPS certificate chains to. */
  tlsCaCertPath: string;
  /** The registrar: the CA's bootstrap identity and the file holding its secret. */
  registrar: { enrollmentId: string; secretPath: string };
}

/** Wallet label of the CA registrar's own enrolment. */
export const REGISTRAR_LABEL = 'ca-registrar';

/** The part of fabric-ca-client's FabricCAServices the enroller uses (tests fake it). */
export type CaClient = Pick<FabricCAServices, 'register' | 'enroll'>;

/**
 * Registers and enrolls principals at the ministry's CA with the official fabric-ca-client: the
 * registrar (enrolled once, kept in the wallet) registers the principal as a `client` with the
 * attribute `egov.officer` in its certificate; the gateway then enrolls it with the one-time secret
 * (a fresh key generated here). Secrets go to the CA only, never to logs.
 */
export class CaEnroller {
  private registrarUser?: Promise<User>;

  constructor(
    private readonly settings: CaSettings,
    private readonly mspId: string,
    private readonly wallet: FileWallet,
    private readonly ca: CaClient = new FabricCAServices(
      settings.url,
      { trustedRoots: [readFileSync(settings.tlsCaCertPath, 'utf8')], verify: true },
      settings.caName,
    ),
  ) {}

  /** Registers `enrollmentId` and enrolls it: a new identity of the ministry. */
  async enroll(enrollmentId: string): Promise<WalletIdentity> {
    const registrar = await this.registrar();
    const secret = await this.ca.register(
      {
        enrollmentID: enrollmentId,
        role: 'client',
        affiliation: '',
        maxEnrollments: 1,
        attrs: [{ name: 'egov.officer', value: 'true', ecert: true }],
      },
      registrar,
    );
    return this.enrollWith(enrollmentId, secret);
  }

  /** The registrar as a fabric-common User: from the wallet, or enrolled with its bootstrap secret. */
  private registrar(): Promise<User> {
    this.registrarUser ??= this.loadRegistrar().catch((err: unknown) => {
      this.registrarUser = undefined;
      throw err;
    });
    return this.registrarUser;
  }

  private async loadRegistrar(): Promise<User> {
    const { enrollmentId, secretPath } = this.settings.registrar;
    let identity = await this.wallet.get(REGISTRAR_LABEL);
    if (!identity) {
      identity = await this.enrollWith(enrollmentId, readFileSync(secretPath, 'utf8').trim());
      await this.wallet.put(REGISTRAR_LABEL, identity);
    }
    return User.createUser(enrollmentId, '', this.mspId, identity.certificate, identity.privateKey);
  }

  private async enrollWith(enrollmentId: string, secret: string): Promise<WalletIdentity> {
    const result = await this.ca.enroll({ enrollmentID: enrollmentId, enrollmentSecret: secret });
    return { mspId: this.mspId, certificate: result.certificate, privateKey: result.key.toBytes() };
  }
}
