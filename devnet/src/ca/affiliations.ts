import { attributeIsTrue } from './attributes';
import type { CARequest, CertificateAuthority } from './authority';
import { withinAffiliation } from './authority';
import { badRequest, CAError, ErrorCode, forbidden } from './errors';

/** Fabric CA's api.AffiliationInfo: a name and its sub-affiliations. */
interface AffiliationInfo {
  name: string;
  affiliations?: AffiliationInfo[];
}

/** The tree below `root` ('' = everything) from the flat list of dotted names. */
function treeOf(names: string[], root: string): AffiliationInfo {
  const children = names
    .filter(
      (n) =>
        n !== root && withinAffiliation(root, n) && !n.slice(root === '' ? 0 : root.length + 1).includes('.'),
    )
    .sort()
    .map((n) => treeOf(names, n));
  return { name: root, ...(children.length > 0 ? { affiliations: children } : {}) };
}

/**
 * The `/affiliations` endpoints (Fabric CA's lib/serveraffiliations.go): GET the tree (or below
 * `/:name`) within the caller's affiliation, POST `{name, force}` adds one (needs hf.AffiliationMgr; its
 * parent must exist unless force); removal is refused as Fabric CA does by default.
 */
export async function handleAffiliations(ca: CertificateAuthority, req: CARequest): Promise<unknown> {
  const { caller } = await ca.authenticate(req);
  const names = await ca.registry.listAffiliations();
  switch (req.method) {
    case 'GET': {
      const root = req.params.name ?? caller.affiliation;
      if (root !== '' && !names.includes(root))
        throw new CAError(404, ErrorCode.getAffiliation, `affiliation '${root}' does not exist`);
      if (!withinAffiliation(caller.affiliation, root)) {
        throw forbidden(ErrorCode.affiliationNotAllowed, `'${caller.id}' may not read affiliation '${root}'`);
      }
      return { ...treeOf(names, root), caname: ca.config.caName };
    }
    case 'POST': {
      if (!attributeIsTrue(caller, 'hf.AffiliationMgr')) {
        throw forbidden(
          ErrorCode.affiliationNotAllowed,
          `'${caller.id}' may not manage affiliations (hf.AffiliationMgr)`,
        );
      }
      const name = req.json.name;
      if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(name)) {
        throw badRequest("'name' must be a dotted affiliation name such as education.officers");
      }
      if (!withinAffiliation(caller.affiliation, name)) {
        throw forbidden(ErrorCode.affiliationNotAllowed, `'${caller.id}' may not add affiliation '${name}'`);
      }
      if (names.includes(name))
        throw new CAError(409, ErrorCode.updateConfigAffiliation, `Affiliation '${name}' already exists`);
      const levels = name.split('.');
      const parents = levels.slice(0, -1).map((_, i) => levels.slice(0, i + 1).join('.'));
      const missing = parents.filter((p) => !names.includes(p));
      if (missing.length > 0 && req.json.force !== true) {
        throw badRequest(`parent affiliation '${missing[0]}' does not exist (add it first, or set force)`);
      }
      await ca.registry.exclusive(async () => {
        for (const p of [...missing, name]) await ca.registry.addAffiliation(p);
      });
      return { name, caname: ca.config.caName };
    }
    case 'DELETE':
      throw new CAError(403, ErrorCode.updateConfigAffiliation, 'Affiliation removal is disabled');
    default:
      throw new CAError(405, ErrorCode.method, `method ${req.method} is not allowed on /affiliations`);
  }
}
