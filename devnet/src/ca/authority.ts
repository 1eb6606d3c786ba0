import { X509Certificate } from 'node:crypto';
import { canActOnType, withAutomaticAttributes } from './attributes';
import { authenticationFailure, badRequest, CAError, ErrorCode, forbidden } from './errors';
import type { IssuerKey } from './issuer';
import { hashSecret, normalizeHex, Registry, type Attribute, type IdentityRecord } from './registry';
import { enrollmentIdOf, verifyToken } from './token';

/** Settings of one CA (what fabric-ca-server.yaml says for it). */
export interface AuthorityConfig {
  /** `ca.name`: the `caname` clients may send (empty also means this CA). */
  caName: string;
  /** Affiliations created on first start (`affiliations:`), e.g. `['immigration', 'immigration.officers']`. */
  affiliations: string[];
  /** The bootstrap identity (`-b <id>:<secret>`). */
  registrar: { id: string; secret: string };
}

/** Attributes of Fabric CA's bootstrap identity: every authority. */
const REGISTRAR_ATTRIBUTES: Attribute[] = [
  { name: 'hf.Registrar.Roles', value: '*' },
  { name: 'hf.Registrar.DelegateRoles', value: '*' },
  { name: 'hf.Registrar.Attributes', value: '*' },
  { name: 'hf.Revoker', value: 'true' },
  { name: 'hf.IntermediateCA', value: 'true' },
  { name: 'hf.GenCRL', value: 'true' },
  { name: 'hf.AffiliationMgr', value: 'true' },
];

/** One request as the handlers see it. */
export interface CARequest {
  method: string;
  /** Path and query, as signed in the token (Go's URL.RequestURI()). */
  uri: string;
  /** Path parameters, e.g. the id of `/identities/:id`. */
  params: Record<string, string>;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** The body as JSON (an empty body is `{}`). */
  json: Record<string, unknown>;
}

/**
 * A Fabric-CA-compatible certificate authority: the organization's signing CA, its registry, its
 * configuration. The endpoint handlers (register.ts, enroll.ts, revoke.ts, identities.ts,
 * affiliations.ts) use what it offers: authentication, authorization and issuance rules.
 */
export class CertificateAuthority {
  constructor(
    readonly issuer: IssuerKey,
    readonly registry: Registry,
    readonly config: AuthorityConfig,
  ) {}

  /** Creates the bootstrap identity and default affiliations on first start (the state survives restarts). */
  async bootstrap(): Promise<void> {
    await this.registry.exclusive(async () => {
      for (const aff of this.config.affiliations) {
        if (!(await this.registry.hasAffiliation(aff))) await this.registry.addAffiliation(aff);
      }
      const { id, secret } = this.config.registrar;
      if ((await this.registry.getIdentity(id)) !== undefined) return;
      await this.registry.putIdentity({
        id,
        type: 'client',
        affiliation: '',
        attrs: withAutomaticAttributes(id, 'client', '', REGISTRAR_ATTRIBUTES),
        maxEnrollments: -1,
        enrollments: 0,
        secretHash: await hashSecret(secret),
        revoked: false,
      });
    });
  }

  /** Checks the request's `caname` (Fabric CA: `CA '<name>' does not exist`). */
  checkCaName(req: CARequest): void {
    const name = req.json.caname ?? new URLSearchParams(req.uri.split('?')[1] ?? '').get('ca') ?? '';
    if (typeof name !== 'string') throw badRequest("'caname' must be a string");
    if (name !== '' && name !== this.config.caName) {
      throw new CAError(404, ErrorCode.caNotFound, `CA '${name}' does not exist`);
    }
  }

  /**
   * Authenticates a token-authorized request (Fabric CA's TokenAuthentication): a valid signature by
   * a certificate this CA issued, not revoked, not expired, whose identity exists and is not revoked.
   * @returns the caller's identity and certificate.
   */
  async authenticate(req: CARequest): Promise<{ caller: IdentityRecord; cert: X509Certificate }> {
    const cert = verifyToken(req.headers.authorization, req.method, req.uri, req.body);
    const now = new Date();
    if (!cert.verify(new X509Certificate(this.issuer.certPem).publicKey)) throw authenticationFailure();
    if (new Date(cert.validTo) < now || new Date(cert.validFrom) > now) throw authenticationFailure();
    const record = await this.registry.getCertificate(
      normalizeHex(cert.serialNumber),
      normalizeHex(this.issuer.ski),
    );
    // A certificate this CA signs is always recorded; the bootstrap registrar's too.
    if (record === undefined || record.status === 'revoked') throw authenticationFailure();
    const caller = await this.registry.getIdentity(enrollmentIdOf(cert));
    if (caller === undefined || caller.revoked) throw authenticationFailure();
    return { caller, cert };
  }

  /**
   * Whether `caller` may manage `target` (Fabric CA's CanManageUser): its hf.Registrar.Roles covers the
   * target's type and the target's affiliation is within the caller's.
   * @throws CAError 403 naming what is missing.
   */
  checkCanManage(caller: IdentityRecord, type: string, affiliation: string): void {
    if (!canActOnType(caller, type)) {
      throw forbidden(
        ErrorCode.registrarNotAuthorized,
        `'${caller.id}' may not act on identities of type '${type}' (hf.Registrar.Roles)`,
      );
    }
    if (!withinAffiliation(caller.affiliation, affiliation)) {
      throw forbidden(
        ErrorCode.affiliationNotAllowed,
        `'${caller.id}' (affiliation '${caller.affiliation}') may not act on affiliation '${affiliation}'`,
      );
    }
  }

  /** Resolves a request's affiliation: empty means the caller's own; otherwise it must exist. */
  async resolveAffiliation(caller: IdentityRecord, requested: unknown): Promise<string> {
    if (requested !== undefined && typeof requested !== 'string')
      throw badRequest("'affiliation' must be a string");
    const affiliation =
      requested === undefined || requested === '' ? caller.affiliation : requested === '.' ? '' : requested;
    if (affiliation !== '' && !(await this.registry.hasAffiliation(affiliation))) {
      throw badRequest(`affiliation '${affiliation}' does not exist`, ErrorCode.getAffiliation);
    }
    return affiliation;
  }
}

/** Whether `affiliation` is `scope` or below it (the root '' covers everything). */
export function withinAffiliation(scope: string, affiliation: string): boolean {
  return scope === '' || affiliation === scope || affiliation.startsWith(`${scope}.`);
}
