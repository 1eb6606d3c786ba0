import type { KeyObject } from 'node:crypto';
import type { msp as mspProto } from '@hyperledger/fabric-protos';
import type { ParsedCert } from './cert';
import { verifyECDSA } from './ecdsa';

/** The role an identity plays in its organization, from its NodeOU ('member' when NodeOUs are off). */
export type NodeRole = 'admin' | 'peer' | 'client' | 'orderer' | 'member';

/** An OU of an identity with the hash of the chain that certified it (fabric msp.OUIdentifier). */
export interface OUIdentifier {
  organizationalUnitIdentifier: string;
  /** SHA-256 over the DER of the identity's CA chain (without the identity's own cert). */
  certifiersIdentifier: Uint8Array;
}

/** A deserialized, validated X.509 identity of one MSP (fabric msp.Identity). */
export interface Identity {
  mspId: string;
  /** The msp.SerializedIdentity bytes it was read from. */
  serialized: Uint8Array;
  certPem: string;
  /** hex SHA-256 of the certificate DER (fabric IdentityIdentifier.Id). */
  id: string;
  /** Subject OU values. */
  ous: string[];
  role: NodeRole;
  /** Listed in the MSP's admins, or carrying the admin NodeOU. */
  isAdmin: boolean;
  /**
   * The certificate's notAfter. Fabric's MSP validation ignores expiry; callers that must reject
   * expired signers (the orderer's Broadcast, fabric msgprocessor ExpirationRejectRule) check this.
   */
  expiresAt: Date;
  /** ECDSA over SHA-256, DER; false for a bad or high-S signature. */
  verify(message: Uint8Array, signature: Uint8Array): boolean;
  /** Throws an error naming the mismatch unless this identity satisfies `principal`. */
  satisfiesPrincipal(principal: mspProto.MSPPrincipal): void;
  /** Why this identity does not satisfy `principal`, or undefined when it does (no exception built). */
  principalMismatch(principal: mspProto.MSPPrincipal): string | undefined;
}

/** What an identity needs from its MSP to answer principals. */
export interface PrincipalChecker {
  satisfiesPrincipal(identity: X509Identity, principal: mspProto.MSPPrincipal): void;
  principalMismatch(identity: X509Identity, principal: mspProto.MSPPrincipal): string | undefined;
}

/** The MSP's Identity implementation over one parsed certificate and its validation chain. */
export class X509Identity implements Identity {
  readonly certPem: string;
  readonly ous: string[];
  readonly expiresAt: Date;

  /** Built by the MSP after validation; not meant to be constructed elsewhere. */
  constructor(
    readonly mspId: string,
    readonly serialized: Uint8Array,
    readonly cert: ParsedCert,
    readonly id: string,
    readonly role: NodeRole,
    readonly isAdmin: boolean,
    readonly organizationalUnits: OUIdentifier[],
    private readonly publicKey: KeyObject,
    private readonly msp: PrincipalChecker,
  ) {
    this.certPem = cert.x509.toString();
    this.ous = cert.ous;
    this.expiresAt = cert.notAfter;
  }

  verify(message: Uint8Array, signature: Uint8Array): boolean {
    return this.verifyReason(message, signature) === undefined;
  }

  /** undefined when the signature is valid, else why not. */
  verifyReason(message: Uint8Array, signature: Uint8Array): string | undefined {
    return verifyECDSA(this.publicKey, message, signature);
  }

  satisfiesPrincipal(principal: mspProto.MSPPrincipal): void {
    this.msp.satisfiesPrincipal(this, principal);
  }

  principalMismatch(principal: mspProto.MSPPrincipal): string | undefined {
    return this.msp.principalMismatch(this, principal);
  }
}
