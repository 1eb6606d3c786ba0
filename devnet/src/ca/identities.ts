import { checkRegistrarMayGive, withAutomaticAttributes } from './attributes';
import type { CARequest, CertificateAuthority } from './authority';
import { badRequest, CAError, ErrorCode } from './errors';
import { attributesOf, maxEnrollmentsOf, registerIdentity } from './register';
import { hashSecret, type IdentityRecord } from './registry';

/** Fabric CA's api.IdentityInfo. */
function infoOf(r: IdentityRecord): Record<string, unknown> {
  return {
    id: r.id,
    type: r.type,
    affiliation: r.affiliation,
    attrs: r.attrs.map((a) => ({ name: a.name, value: a.value, ecert: a.ecert === true })),
    max_enrollments: r.maxEnrollments,
  };
}

async function target(
  ca: CertificateAuthority,
  caller: IdentityRecord,
  id: string | undefined,
): Promise<IdentityRecord> {
  const record = id === undefined ? undefined : await ca.registry.getIdentity(id);
  if (record === undefined) throw new CAError(404, ErrorCode.noUser, `Identity '${id ?? ''}' was not found`);
  ca.checkCanManage(caller, record.type, record.affiliation);
  return record;
}

/**
 * The `/identities` endpoints (Fabric CA's lib/serveridentities.go): GET lists the identities the
 * caller may manage, GET /:id reads one, POST adds one (as register), PUT /:id modifies type,
 * affiliation, attributes, max enrollments or secret; DELETE is refused as Fabric CA does by default
 * (`cfg.identities.allowremove: false`).
 */
export async function handleIdentities(ca: CertificateAuthority, req: CARequest): Promise<unknown> {
  const { caller } = await ca.authenticate(req);
  const id = req.params.id;
  switch (req.method) {
    case 'GET':
      if (id === undefined) {
        const all = await ca.registry.listIdentities();
        const visible = all.filter((r) => {
          try {
            ca.checkCanManage(caller, r.type, r.affiliation);
            return true;
          } catch {
            return false;
          }
        });
        return { identities: visible.map(infoOf), caname: ca.config.caName };
      }
      return { ...infoOf(await target(ca, caller, id)), caname: ca.config.caName };
    case 'POST': {
      const { secret, record } = await registerIdentity(ca, caller, req.json);
      return { ...infoOf(record), secret, caname: ca.config.caName };
    }
    case 'PUT':
      return modify(ca, caller, id, req.json);
    case 'DELETE':
      throw new CAError(403, ErrorCode.removeIdentityDisabled, 'Identity removal is disabled');
    default:
      throw new CAError(405, ErrorCode.method, `method ${req.method} is not allowed on /identities`);
  }
}

async function modify(
  ca: CertificateAuthority,
  caller: IdentityRecord,
  id: string | undefined,
  body: Record<string, unknown>,
): Promise<unknown> {
  const current = await target(ca, caller, id);
  const type = body.type === undefined || body.type === '' ? current.type : body.type;
  if (typeof type !== 'string') throw badRequest("'type' must be a string");
  const affiliation =
    body.affiliation === undefined || body.affiliation === ''
      ? current.affiliation
      : await ca.resolveAffiliation(caller, body.affiliation);
  ca.checkCanManage(caller, type, affiliation);
  const changes = attributesOf(body.attrs);
  checkRegistrarMayGive(caller, changes);
  // An attribute with an empty value is removed, others replace or add (Fabric CA's modify semantics).
  const kept = current.attrs.filter((a) => !changes.some((c) => c.name === a.name));
  const attrs = [...kept, ...changes.filter((c) => c.value !== '')];
  const secret = body.secret;
  if (secret !== undefined && (typeof secret !== 'string' || secret.length > 256)) {
    throw badRequest("'secret' must be a string of at most 256 characters");
  }
  const updated: IdentityRecord = {
    ...current,
    type,
    affiliation,
    attrs: withAutomaticAttributes(current.id, type, affiliation, attrs),
    maxEnrollments:
      body.max_enrollments === undefined ? current.maxEnrollments : maxEnrollmentsOf(body.max_enrollments),
    ...(typeof secret === 'string' && secret !== ''
      ? { secretHash: await hashSecret(secret), enrollments: 0 }
      : {}),
  };
  await ca.registry.exclusive(() => ca.registry.putIdentity(updated));
  return {
    ...infoOf(updated),
    ...(typeof secret === 'string' && secret !== '' ? { secret } : {}),
    caname: ca.config.caName,
  };
}
