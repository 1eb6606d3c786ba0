import { attributeIsTrue } from './attributes';
import type { CARequest, CertificateAuthority } from './authority';
import { crlWindowOf, generateCrl } from './crl';
import { badRequest, CAError, ErrorCode, forbidden } from './errors';
import { normalizeHex, type CertificateRecord } from './registry';

/** RFC 5280 reason codes by Fabric CA's names (lib/serverrevoke.go revocationReasonCodes). */
const REASONS: Record<string, number> = {
  unspecified: 0,
  keycompromise: 1,
  cacompromise: 2,
  affiliationchanged: 3,
  superseded: 4,
  cessationofoperation: 5,
  certificatehold: 6,
  removefromcrl: 8,
  privilegewithdrawn: 9,
  aacompromise: 10,
};

function reasonOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return 0;
  const code = typeof value === 'string' ? REASONS[value.toLowerCase()] : undefined;
  if (code === undefined)
    throw badRequest(
      `unknown revocation reason '${String(value)}'; one of ${Object.keys(REASONS).join(', ')}`,
    );
  return code;
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw badRequest(`'${name}' must be a string`);
  return value;
}

/**
 * POST /revoke `{id | serial+aki, reason, gencrl}` (Fabric CA's revokeHandler): one certificate, or
 * an identity (disabled for good) with all its certificates. Revoking others needs hf.Revoker and
 * authority over the target. Result `{RevokedCerts: [{Serial, AKI}], CRL}` (CRL: base64 PEM, on gencrl).
 */
export async function handleRevoke(ca: CertificateAuthority, req: CARequest): Promise<unknown> {
  const { caller, cert } = await ca.authenticate(req);
  const id = stringField(req.json, 'id');
  const serial = normalizeHex(stringField(req.json, 'serial'));
  const aki = normalizeHex(stringField(req.json, 'aki'));
  const reason = reasonOf(req.json.reason);
  const revokedAt = new Date().toISOString();
  const revoked = await ca.registry.exclusive(async (): Promise<CertificateRecord[]> => {
    const checkTarget = async (targetId: string): Promise<void> => {
      if (targetId === caller.id) return;
      if (!attributeIsTrue(caller, 'hf.Revoker')) {
        throw forbidden(
          ErrorCode.notRevoker,
          `'${caller.id}' does not have authority to revoke (hf.Revoker)`,
        );
      }
      const target = await ca.registry.getIdentity(targetId);
      if (target === undefined)
        throw new CAError(404, ErrorCode.revokeIdNotFound, `Identity ${targetId} was not found`);
      ca.checkCanManage(caller, target.type, target.affiliation);
    };
    if (serial !== '' && aki !== '') {
      const record = await ca.registry.getCertificate(serial, aki);
      if (record === undefined) {
        throw new CAError(
          404,
          ErrorCode.revCertNotFound,
          `Certificate with serial ${serial} and AKI ${aki} was not found`,
        );
      }
      if (id !== '' && id !== record.id) {
        throw badRequest(`Certificate with serial ${serial} and AKI ${aki} is not owned by ${id}`);
      }
      const own = normalizeHex(cert.serialNumber) === serial;
      if (!own) await checkTarget(record.id);
      if (record.status === 'revoked') {
        throw new CAError(
          404,
          ErrorCode.certAlreadyRevoked,
          `Certificate with serial ${serial} and AKI ${aki} was already revoked`,
        );
      }
      const updated: CertificateRecord = { ...record, status: 'revoked', revokedAt, reason };
      await ca.registry.putCertificate(updated);
      return [updated];
    }
    if (id === '') throw badRequest('Either Name or Serial and AKI are required for a revoke request');
    await checkTarget(id);
    const identity = await ca.registry.getIdentity(id);
    if (identity === undefined)
      throw new CAError(404, ErrorCode.revokeIdNotFound, `Identity ${id} was not found`);
    await ca.registry.putIdentity({ ...identity, revoked: true });
    const out: CertificateRecord[] = [];
    for (const c of await ca.registry.listCertificates()) {
      if (c.id !== id || c.status === 'revoked') continue;
      const updated: CertificateRecord = { ...c, status: 'revoked', revokedAt, reason };
      await ca.registry.putCertificate(updated);
      out.push(updated);
    }
    return out;
  });
  const result: Record<string, unknown> = {
    RevokedCerts: revoked.map((c) => ({ Serial: c.serial, AKI: c.aki })),
  };
  if (req.json.gencrl === true && revoked.length > 0) {
    const crl = await generateCrl(ca.issuer, await ca.registry.listCertificates());
    result.CRL = Buffer.from(crl).toString('base64');
  }
  return result;
}

/** POST /gencrl `{revokedafter, revokedbefore, expireafter, expirebefore}` (needs hf.GenCRL) → `{CRL}`. */
export async function handleGenCrl(ca: CertificateAuthority, req: CARequest): Promise<unknown> {
  const { caller } = await ca.authenticate(req);
  const window = crlWindowOf(req.json);
  if (!attributeIsTrue(caller, 'hf.GenCRL')) {
    throw forbidden(
      ErrorCode.noGenCRLAuth,
      `The identity '${caller.id}' does not have authority to generate a CRL`,
    );
  }
  const crl = await generateCrl(ca.issuer, await ca.registry.listCertificates(), window);
  return { CRL: Buffer.from(crl).toString('base64') };
}
