import { badRequest, ErrorCode, forbidden } from './errors';
import type { Attribute, IdentityRecord } from './registry';

/** Fabric CA's attribute extension OID (lib/attrmgr AttrOID): its value is JSON `{"attrs":{...}}`. */
export const ATTRIBUTE_EXTENSION_OID = '1.2.3.4.5.6.7.8.1';

/** Attributes Fabric CA sets itself on every identity, in enrollment certificates by default. */
const AUTOMATIC = ['hf.EnrollmentID', 'hf.Type', 'hf.Affiliation'];

/** One entry of an enroll request's `attr_reqs` (Fabric CA's api.AttributeRequest). */
export interface AttributeRequest {
  name: string;
  optional?: boolean;
}

/** The attributes Fabric CA records on registration: the requested ones plus its automatic ones (ecert). */
export function withAutomaticAttributes(
  id: string,
  type: string,
  affiliation: string,
  attrs: Attribute[],
): Attribute[] {
  return [
    ...attrs.filter((a) => !AUTOMATIC.includes(a.name)),
    { name: 'hf.EnrollmentID', value: id, ecert: true },
    { name: 'hf.Type', value: type, ecert: true },
    { name: 'hf.Affiliation', value: affiliation, ecert: true },
  ];
}

/** The value of an identity's attribute, if it has it. */
export function attributeValue(identity: IdentityRecord, name: string): string | undefined {
  return identity.attrs.find((a) => a.name === name)?.value;
}

/** Whether an identity's boolean attribute (hf.Revoker, hf.GenCRL, ...) is true. */
export function attributeIsTrue(identity: IdentityRecord, name: string): boolean {
  return attributeValue(identity, name)?.toLowerCase() === 'true';
}

/** A comma-separated attribute value as a list (hf.Registrar.Roles, hf.Registrar.Attributes). */
export function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Whether a caller's hf.Registrar.Roles lets it register or manage identities of `type`. */
export function canActOnType(caller: IdentityRecord, type: string): boolean {
  const roles = listOf(attributeValue(caller, 'hf.Registrar.Roles'));
  return roles.includes('*') || roles.includes(type);
}

/** Fabric CA's glob on hf.Registrar.Attributes: `*` alone, or a name ending in `*` as a prefix. */
function attributeAllowed(patterns: string[], name: string): boolean {
  return patterns.some(
    (p) => p === '*' || p === name || (p.endsWith('*') && name.startsWith(p.slice(0, -1))),
  );
}

/**
 * Checks the attributes a registrar asks to give (Fabric CA's registry attribute rules): the automatic
 * ones cannot be set; every name must match the caller's hf.Registrar.Attributes; hf.Registrar.Roles
 * (and DelegateRoles) may only hand out roles the caller itself has; a boolean hf.* authority may
 * only be given by a caller that holds it.
 * @throws CAError 400 for a malformed attribute, 403 for one the caller may not give.
 */
export function checkRegistrarMayGive(caller: IdentityRecord, attrs: Attribute[]): void {
  const allowed = listOf(attributeValue(caller, 'hf.Registrar.Attributes'));
  for (const attr of attrs) {
    if (typeof attr.name !== 'string' || attr.name === '' || typeof attr.value !== 'string') {
      throw badRequest(
        'each attribute needs a non-empty "name" and a string "value"',
        ErrorCode.invalidAttribute,
      );
    }
    if (AUTOMATIC.includes(attr.name)) {
      throw badRequest(
        `attribute '${attr.name}' is set by the CA and cannot be registered`,
        ErrorCode.invalidAttribute,
      );
    }
    if (!attributeAllowed(allowed, attr.name)) {
      throw forbidden(
        ErrorCode.registrarNotAuthorized,
        `registrar '${caller.id}' may not register attribute '${attr.name}' (hf.Registrar.Attributes)`,
      );
    }
    if (attr.name === 'hf.Registrar.Roles' || attr.name === 'hf.Registrar.DelegateRoles') {
      const own = listOf(
        attributeValue(caller, 'hf.Registrar.DelegateRoles') ?? attributeValue(caller, 'hf.Registrar.Roles'),
      );
      const given = listOf(attr.value);
      if (!own.includes('*') && !given.every((r) => own.includes(r))) {
        throw forbidden(
          ErrorCode.registrarNotAuthorized,
          `registrar '${caller.id}' may not delegate roles '${attr.value}' beyond its own '${own.join(',')}'`,
        );
      }
    } else if (
      attr.name.startsWith('hf.') &&
      attr.value.toLowerCase() === 'true' &&
      !attributeIsTrue(caller, attr.name)
    ) {
      throw forbidden(
        ErrorCode.registrarNotAuthorized,
        `registrar '${caller.id}' may not give '${attr.name}' without holding it`,
      );
    }
  }
}

/**
 * The attributes that go into an enrollment certificate (Fabric CA's ProcessAttributeRequests): the
 * requested ones, or when none are requested, those registered with `ecert: true`. Undefined when
 * none apply (the certificate then has no attribute extension).
 * @throws CAError 400 when a required (non-optional) requested attribute is missing.
 */
export function certificateAttributes(
  identity: IdentityRecord,
  requests: AttributeRequest[] | undefined,
): Record<string, string> | undefined {
  const reqs =
    requests ?? identity.attrs.filter((a) => a.ecert === true).map((a) => ({ name: a.name, optional: true }));
  const attrs: Record<string, string> = {};
  for (const req of reqs) {
    const value = attributeValue(identity, req.name);
    if (value === undefined) {
      if (req.optional === true) continue;
      throw badRequest(
        `attribute '${req.name}' was requested but identity '${identity.id}' does not possess it`,
        ErrorCode.attributeMissing,
      );
    }
    attrs[req.name] = value;
  }
  return Object.keys(attrs).length === 0 ? undefined : attrs;
}
