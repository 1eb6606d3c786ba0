import { X509Certificate } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { AccessDeniedError } from './errors';

/**
 * Who is calling. The peer has already checked the creator's signature and that its certificate
 * chains to its MSP, so the chaincode only reads the identity; roles follow Fabric's NodeOUs
 * classification (an admin is an identity whose certificate carries OU=admin, as cryptogen and
 * Fabric CA with NodeOUs issue them).
 */

/** The OU value Fabric's NodeOUs use for admins (AdminOUIdentifier in the MSP's config.yaml). */
export const ADMIN_OU = 'admin';

/** The calling identity as egov stores it. */
export interface Caller {
  /** MSP ID of the caller's organization (the ministry), e.g. `EducationMSP`. */
  mspId: string;
  /** `x509::<subject DN>::<issuer DN>` as fabric-shim's ClientIdentity.getID() builds it. */
  id: string;
}

/** Reads the caller's MSP ID and X.509 id. */
export function caller(ctx: Context): Caller {
  return { mspId: ctx.clientIdentity.getMSPID(), id: ctx.clientIdentity.getID() };
}

/** Most certificates whose OUs are kept per process (oldest forgotten first). */
export const MAX_CACHED_CERTIFICATES = 1024;

/**
 * OUs of the certificates seen, by their bytes: parsing a certificate costs more than the rest of
 * an authorization check, and the same few identities call again and again. The OUs are a function
 * of the bytes alone, so every endorser answers alike.
 */
const ousByCertificate = new Map<string, readonly string[]>();

/**
 * The organizational units in the caller's certificate subject, in certificate order.
 * @throws AccessDeniedError when the identity is not an X.509 certificate.
 */
export function callerOUs(ctx: Context): string[] {
  const bytes = Buffer.from(ctx.clientIdentity.getIDBytes());
  const key = bytes.toString('latin1');
  let ous = ousByCertificate.get(key);
  if (ous === undefined) {
    let subject: string;
    try {
      subject = new X509Certificate(bytes).subject;
    } catch {
      throw new AccessDeniedError(
        `the caller's identity (${ctx.clientIdentity.getMSPID()}) is not an X.509 certificate`,
      );
    }
    ous = Object.freeze(parseOUs(subject));
    if (ousByCertificate.size >= MAX_CACHED_CERTIFICATES) {
      ousByCertificate.delete(ousByCertificate.keys().next().value as string);
    }
    ousByCertificate.set(key, ous);
  }
  return [...ous];
}

/**
 * Extracts OU values from Node's multi-line subject string: one RDN per line, values of a
 * multi-valued RDN joined by ' + ' (a literal '+' inside a value is escaped as '\+').
 */
export function parseOUs(subject: string): string[] {
  return subject
    .split('\n')
    .flatMap((rdn) => rdn.split(' + '))
    .filter((attribute) => attribute.startsWith('OU='))
    .map((attribute) => attribute.slice('OU='.length));
}

/** Whether the caller is an admin of its organization (certificate OU=admin). */
export function isAdmin(ctx: Context): boolean {
  return callerOUs(ctx).includes(ADMIN_OU);
}

/**
 * Refuses the transaction unless the caller is an organization admin.
 * @param action - the transaction name, for the error message.
 */
export function requireAdmin(ctx: Context, action: string): Caller {
  const who = caller(ctx);
  if (!isAdmin(ctx)) {
    throw new AccessDeniedError(
      `${action} requires an admin identity (certificate OU=${ADMIN_OU}); the caller from ${who.mspId} is not an admin`,
    );
  }
  return who;
}
