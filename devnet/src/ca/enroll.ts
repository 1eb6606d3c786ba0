import { certificateAttributes, type AttributeRequest } from './attributes';
import type { CARequest, CertificateAuthority } from './authority';
import { authenticationFailure, badRequest, CAError, ErrorCode } from './errors';
import { issueCertificate } from './enrollment';
import { secretMatches, type IdentityRecord } from './registry';
import { parseBasicAuth } from './token';

/** Fabric CA's ServerInfo: the CA's name and chain (base64 of PEM); no Idemix issuer here. */
export function serverInfo(ca: CertificateAuthority): Record<string, string> {
  return {
    CAName: ca.config.caName,
    CAChain: Buffer.from(ca.issuer.certPem).toString('base64'),
    IssuerPublicKey: '',
    IssuerRevocationPublicKey: '',
    Version: '1.5.15-devnet',
  };
}

function attrRequestsOf(value: unknown): AttributeRequest[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest("'attr_reqs' must be an array of {name, optional}");
  return value.map((r: unknown) => {
    const req = r as Partial<AttributeRequest> | null;
    if (req === null || typeof req !== 'object' || typeof req.name !== 'string' || req.name === '') {
      throw badRequest("each entry of 'attr_reqs' needs a string 'name'");
    }
    return { name: req.name, optional: req.optional === true };
  });
}

/** Issues a certificate for `identity` from the request body and records it. */
async function issueFor(
  ca: CertificateAuthority,
  identity: IdentityRecord,
  body: Record<string, unknown>,
): Promise<unknown> {
  const csrPem = body.certificate_request;
  if (typeof csrPem !== 'string' || csrPem === '') {
    throw badRequest("'certificate_request' (a PEM PKCS#10 CSR) is required", ErrorCode.badCSR);
  }
  if (body.profile !== undefined && body.profile !== '' && body.profile !== null) {
    throw badRequest(
      `signing profile '${String(body.profile)}' does not exist (this CA has only the default profile)`,
    );
  }
  const hosts = body.hosts;
  if (
    hosts !== undefined &&
    hosts !== null &&
    (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string'))
  ) {
    throw badRequest("'hosts' must be an array of DNS names or IP addresses");
  }
  const attrs = certificateAttributes(identity, attrRequestsOf(body.attr_reqs));
  const issued = await issueCertificate(ca.issuer, identity, {
    csrPem,
    hosts: (hosts as string[] | undefined) ?? undefined,
    attrs,
  });
  await ca.registry.putCertificate({
    serial: issued.serial,
    aki: issued.aki,
    id: identity.id,
    pem: issued.pem,
    notAfter: issued.notAfter.toISOString(),
    status: 'good',
  });
  return { Cert: Buffer.from(issued.pem).toString('base64'), ServerInfo: serverInfo(ca) };
}

/**
 * POST /enroll with Basic auth (id:secret): checks the secret, that the identity is not revoked and
 * has enrollments left, then issues (Fabric CA's enrollHandler). Result `{Cert, ServerInfo}`.
 */
export async function handleEnroll(ca: CertificateAuthority, req: CARequest): Promise<unknown> {
  const auth = parseBasicAuth(req.headers.authorization);
  if (auth === undefined) throw new CAError(401, ErrorCode.noAuthHeader, 'No authorization header');
  const identity = await ca.registry.exclusive(async () => {
    const found = await ca.registry.getIdentity(auth.id);
    if (found === undefined || !(await secretMatches(auth.secret, found.secretHash)))
      throw authenticationFailure();
    if (found.revoked)
      throw new CAError(401, ErrorCode.revokedId, 'Authentication failure: the identity is revoked');
    if (found.maxEnrollments >= 0 && found.enrollments >= found.maxEnrollments) {
      throw new CAError(
        401,
        ErrorCode.maxEnrollments,
        `Authentication failure: identity '${found.id}' has used its ${found.maxEnrollments} enrollment(s)`,
      );
    }
    // The enrollment is reserved now and given back if issuance fails (bad CSR, missing attribute).
    const counted = { ...found, enrollments: found.enrollments + 1 };
    await ca.registry.putIdentity(counted);
    return counted;
  });
  try {
    return await issueFor(ca, identity, req.json);
  } catch (err) {
    await ca.registry.exclusive(async () => {
      const now = await ca.registry.getIdentity(identity.id);
      if (now !== undefined)
        await ca.registry.putIdentity({ ...now, enrollments: Math.max(0, now.enrollments - 1) });
    });
    throw err;
  }
}

/** POST /reenroll with a token: a new certificate for the caller, no enrollment counted. */
export async function handleReenroll(ca: CertificateAuthority, req: CARequest): Promise<unknown> {
  const { caller } = await ca.authenticate(req);
  return issueFor(ca, caller, req.json);
}
