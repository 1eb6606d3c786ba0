import { createPrivateKey } from 'node:crypto';
import type { Gateway } from '@hyperledger/fabric-gateway';
import type { Logger } from 'pino';
import { messageSigner, type MessageSigner } from '../fabric/signer';
import { ApiError } from '../errors';
import type { Principal } from '../auth/principal';
import type { CaEnroller } from './enroller';
import type { FileWallet, WalletIdentity } from './wallet';

/** Connects a fabric-gateway Gateway for an identity (over the one shared gRPC client). */
export type ConnectIdentity = (identity: WalletIdentity) => Gateway;

/**
 * One fabric-gateway Gateway per principal, cached for the life of the process, over the one gRPC
 * connection: the identity comes from the wallet, or, the first time a principal is seen, from
 * the ministry's CA (registered and enrolled, then stored in the wallet). Whatever a request needs
 * beyond the lookup is built once per identity (`build`), nothing per request.
 */
export class IdentityPool<T> {
  private readonly entries = new Map<string, Promise<{ gateway: Gateway; value: T }>>();

  constructor(
    private readonly wallet: FileWallet,
    private readonly enroller: CaEnroller | undefined,
    private readonly connect: ConnectIdentity,
    private readonly build: (gateway: Gateway) => T,
    private readonly logger: Logger,
  ) {}

  /** Adds a Gateway the process already has (the ministry admin's) under a label. */
  preset(label: string, gateway: Gateway): void {
    this.entries.set(label, Promise.resolve({ gateway, value: this.build(gateway) }));
  }

  /** What `build` made for the principal's identity, loading or enrolling it the first time. */
  async of(principal: Principal): Promise<T> {
    const label = principal.enrollmentId;
    let entry = this.entries.get(label);
    if (!entry) {
      entry = this.load(principal);
      this.entries.set(label, entry);
      // A failed load is not cached: the next request tries again (e.g. once the CA is up).
      entry.catch(() => this.entries.delete(label));
    }
    return (await entry).value;
  }

  /** Closes every Gateway (the gRPC client is the caller's to close). */
  async close(): Promise<void> {
    const all = await Promise.allSettled(this.entries.values());
    for (const result of all) if (result.status === 'fulfilled') result.value.gateway.close();
    this.entries.clear();
  }

  private async load(principal: Principal): Promise<{ gateway: Gateway; value: T }> {
    const label = principal.enrollmentId;
    let identity = await this.wallet.get(label);
    if (!identity) {
      if (principal.kind === 'admin' || !this.enroller) {
        throw new ApiError(
          'FORBIDDEN',
          `no Fabric identity for ${principal.kind} ${label}: it is not in the wallet and this gateway has no CA to enroll it from`,
        );
      }
      identity = await this.enrollNew(label);
    }
    const gateway = this.connect(identity);
    return { gateway, value: this.build(gateway) };
  }

  private async enrollNew(label: string): Promise<WalletIdentity> {
    let identity: WalletIdentity;
    try {
      identity = await this.enroller!.enroll(label);
    } catch (err) {
      this.logger.error(
        { enrollmentId: label, cause: (err as Error).message },
        'enrollment at the CA failed',
      );
      throw new ApiError(
        'FABRIC_ERROR',
        `could not enroll ${label} at the ministry's CA; see the gateway log`,
      );
    }
    await this.wallet.put(label, identity);
    this.logger.info({ enrollmentId: label }, 'enrolled a new identity at the ministry CA');
    return identity;
  }
}

/** A signer over a wallet identity's key, for connectGateway (fabric/signer.ts). */
export function signerOf(identity: WalletIdentity): MessageSigner {
  return messageSigner(createPrivateKey(identity.privateKey));
}
