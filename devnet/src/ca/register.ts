import { randomBytes } from 'node:crypto';
import { checkRegistrarMayGive, withAutomaticAttributes } from './attributes';
import type { CARequest, CertificateAuthority } from './authority';
import { badRequest, CAError, ErrorCode } from './errors';
import { hashSecret, type Attribute, type IdentityRecord } from './registry';

/** Fabric CA's node types and its generic ones; the type becomes the certificate's first OU. */
const ID_PATTERN = /^[A-Za-z0-9@._-]{1,64}$/;

/** Reads `attrs` of a register or identity request. */
export function attributesOf(value: unknown): Attribute[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest("'attrs' must be an array of {name, value, ecert}");
  return value.map((a: unknown) => {
    const attr = a as Partial<Attribute> | null;
    if (
      attr === null ||
      typeof attr !== 'object' ||
      typeof attr.name !== 'string' ||
      typeof attr.value !== 'string'
    ) {
      throw badRequest(
        "each entry of 'attrs' needs a string 'name' and a string 'value'",
        ErrorCode.invalidAttribute,
      );
    }
    if (attr.ecert !== undefined && typeof attr.ecert !== 'boolean') {
      throw badRequest(`attribute '${attr.name}': 'ecert' must be a boolean`, ErrorCode.invalidAttribute);
    }
    return { name: attr.name, value: attr.value, ...(attr.ecert === true ? { ecert: true } : {}) };
  });
}

/** Reads `max_enrollments`: 0 or absent = the CA's default (unlimited, -1). */
export function maxEnrollmentsOf(value: unknown): number {
  if (value === undefined || value === null || value === 0) return -1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < -1) {
    throw badRequest("'max_enrollments' must be -1 (unlimited), 0 (CA default) or a positive integer");
  }
  return value;
}

/**
 * Registers a new identity from a register (or POST /identities) body, as Fabric CA's registerUser:
 * the caller needs hf.Registrar.Roles for the type, the affiliation within its own, and may give only
 * the attributes its hf.Registrar.Attributes allow. A missing secret is generated.
 * @returns the enrollment secret.
 */
export async function registerIdentity(
  ca: CertificateAuthority,
  caller: IdentityRecord,
  body: Record<string, unknown>,
): Promise<{ id: string; secret: string; record: IdentityRecord }> {
  const id = body.id;
  if (typeof id !== 'string' || id === '')
    throw badRequest("'id' (the enrollment id to register) is required");
  if (!ID_PATTERN.test(id)) {
    throw badRequest(`'id' must be 1-64 characters of letters, digits, '@', '.', '_' or '-': '${id}'`);
  }
  const type = body.type === undefined || body.type === '' ? 'client' : body.type;
  if (typeof type !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(type)) {
    throw badRequest("'type' must be a lower-case identity type such as client, peer, admin or orderer");
  }
  if (body.secret !== undefined && (typeof body.secret !== 'string' || body.secret.length > 256)) {
    throw badRequest("'secret' must be a string of at most 256 characters");
  }
  const attrs = attributesOf(body.attrs);
  const maxEnrollments = maxEnrollmentsOf(body.max_enrollments);
  const affiliation = await ca.resolveAffiliation(caller, body.affiliation);
  ca.checkCanManage(caller, type, affiliation);
  checkRegistrarMayGive(caller, attrs);
  const secret =
    typeof body.secret === 'string' && body.secret !== ''
      ? body.secret
      : randomBytes(9).toString('base64url');
  const record: IdentityRecord = {
    id,
    type,
    affiliation,
    attrs: withAutomaticAttributes(id, type, affiliation, attrs),
    maxEnrollments,
    enrollments: 0,
    secretHash: await hashSecret(secret),
    revoked: false,
  };
  await ca.registry.exclusive(async () => {
    if ((await ca.registry.getIdentity(id)) !== undefined) {
      throw new CAError(409, ErrorCode.identityAlreadyRegistered, `Identity '${id}' is already registered`);
    }
    await ca.registry.putIdentity(record);
  });
  return { id, secret, record };
}

/** POST /register: `{id, type, secret, affiliation, max_enrollments, attrs, caname}` → `{secret}`. */
export async function handleRegister(ca: CertificateAuthority, req: CARequest): Promise<unknown> {
  const { caller } = await ca.authenticate(req);
  const { secret } = await registerIdentity(ca, caller, req.json);
  return { secret };
}
