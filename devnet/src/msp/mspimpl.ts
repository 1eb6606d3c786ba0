import { createHash } from 'node:crypto';
import { msp as mspProto } from '@hyperledger/fabric-protos';
import { unmarshal } from '../protoutil/unmarshalers';
import { chainValidAt, isIssuedBy, parseCertPem, type ParsedCert } from './cert';
import { RevocationLists } from './crl';
import { X509Identity, type NodeRole, type OUIdentifier } from './identity';
import { principalTypeName, roleTypeName } from './principals';

/** Longest CA chain followed before giving up (guards against loops in odd configs). */
const MAX_CHAIN_DEPTH = 8;

const { Classification } = mspProto.MSPPrincipal;
const { MSPRoleType } = mspProto.MSPRole;

/** A NodeOU the MSP classifies by, with the certifiers it requires (empty: any chain). */
interface NodeOU {
  role: Exclude<NodeRole, 'member'>;
  ou: string;
  certifiersIdentifier: Uint8Array;
}

function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/**
 * An X.509 MSP built from a FabricMSPConfig (fabric msp/mspimpl.go bccspmsp, at MSP version
 * 1.4.3 as used with V2 channel capabilities): validates identities against its root and
 * intermediate CAs, classifies them by NodeOU and answers MSPPrincipals.
 */
export class MSP {
  readonly mspId: string;
  /** Whether NodeOU classification is enforced (fabric ouEnforcement). */
  readonly nodeOUsEnabled: boolean;
  private readonly roots: ParsedCert[];
  private readonly intermediates: ParsedCert[];
  private readonly admins: ParsedCert[];
  private readonly tlsRootCerts: Uint8Array[];
  private readonly tlsIntermediateCerts: Uint8Array[];
  /** CA certs that issued an intermediate: they must not issue identities directly. */
  private readonly internalNodes = new Set<string>();
  private readonly nodeOUs: NodeOU[] = [];
  /** organizational_unit_identifiers: OU → allowed certifiers identifiers. */
  private readonly ouIdentifiers = new Map<string, Uint8Array[]>();
  /** revocation_list: the CRLs of this MSP's CAs. */
  private readonly crls: RevocationLists;

  private constructor(config: mspProto.FabricMSPConfig) {
    this.mspId = config.getName();
    if (!this.mspId) throw new Error('MSP config has no name (MSP ID)');
    const parse = (what: string) => (pem: Uint8Array) => {
      try {
        return parseCertPem(pem);
      } catch (err) {
        throw new Error(`MSP ${this.mspId}: bad ${what} certificate: ${(err as Error).message}`);
      }
    };
    this.roots = config.getRootCertsList_asU8().map(parse('root'));
    if (this.roots.length === 0) throw new Error(`MSP ${this.mspId}: expected at least one CA certificate`);
    this.intermediates = config.getIntermediateCertsList_asU8().map(parse('intermediate'));
    this.setupCAs();
    try {
      this.crls = new RevocationLists(config.getRevocationListList_asU8(), [
        ...this.roots,
        ...this.intermediates,
      ]);
    } catch (err) {
      throw new Error(`MSP ${this.mspId}: ${(err as Error).message}`);
    }
    this.admins = config.getAdminsList_asU8().map(parse('admin'));
    this.tlsRootCerts = config.getTlsRootCertsList_asU8();
    this.tlsIntermediateCerts = config.getTlsIntermediateCertsList_asU8();
    for (const ou of config.getOrganizationalUnitIdentifiersList()) {
      const certifiers =
        ou.getCertificate_asU8().length > 0
          ? this.certifiersIdentifier(ou.getCertificate_asU8())
          : new Uint8Array(0);
      const list = this.ouIdentifiers.get(ou.getOrganizationalUnitIdentifier()) ?? [];
      list.push(certifiers);
      this.ouIdentifiers.set(ou.getOrganizationalUnitIdentifier(), list);
    }
    this.nodeOUsEnabled = this.setupNodeOUs(config.getFabricNodeOus());
  }

  /** Builds an MSP from a FabricMSPConfig or an MSPConfig wrapping one (type 0 = FABRIC). */
  static fromConfig(config: mspProto.FabricMSPConfig | mspProto.MSPConfig): MSP {
    if (config instanceof mspProto.MSPConfig) {
      if (config.getType() !== 0)
        throw new Error(`unsupported MSP type ${config.getType()} (only FABRIC X.509 MSPs)`);
      return new MSP(
        unmarshal('FabricMSPConfig', mspProto.FabricMSPConfig.deserializeBinary, config.getConfig_asU8()),
      );
    }
    return new MSP(config);
  }

  /** PEM bytes of the TLS root CAs (for gRPC clients and servers trusting this organization). */
  getTLSRootCerts(): Uint8Array[] {
    return this.tlsRootCerts;
  }

  /** PEM bytes of the TLS intermediate CAs. */
  getTLSIntermediateCerts(): Uint8Array[] {
    return this.tlsIntermediateCerts;
  }

  private setupCAs(): void {
    for (const root of this.roots) {
      if (!root.isCA) throw new Error(`MSP ${this.mspId}: root certificate is not a CA certificate`);
    }
    for (const inter of this.intermediates) {
      if (!inter.isCA) throw new Error(`MSP ${this.mspId}: intermediate certificate is not a CA certificate`);
      const chain = this.buildChain(inter);
      // chain[1] issued an intermediate: it is an internal node of the certification tree.
      this.internalNodes.add(chain[1].raw.toString('base64'));
    }
  }

  private setupNodeOUs(config: mspProto.FabricNodeOUs | undefined): boolean {
    if (!config) return false;
    const entries: [NodeOU['role'], mspProto.FabricOUIdentifier | undefined][] = [
      ['client', config.getClientOuIdentifier()],
      ['peer', config.getPeerOuIdentifier()],
      ['admin', config.getAdminOuIdentifier()],
      ['orderer', config.getOrdererOuIdentifier()],
    ];
    for (const [role, id] of entries) {
      if (!id) continue;
      const cert = id.getCertificate_asU8();
      this.nodeOUs.push({
        role,
        ou: id.getOrganizationalUnitIdentifier(),
        certifiersIdentifier: cert.length > 0 ? this.certifiersIdentifier(cert) : new Uint8Array(0),
      });
    }
    return config.getEnable() && this.nodeOUs.length > 0;
  }

  /** Hash of a configured CA's own chain (fabric getCertifiersIdentifier). */
  private certifiersIdentifier(pem: Uint8Array): Uint8Array {
    const cert = parseCertPem(pem);
    if (this.roots.some((r) => r.raw.equals(cert.raw))) return sha256(cert.raw);
    if (!this.intermediates.some((i) => i.raw.equals(cert.raw))) {
      throw new Error(`MSP ${this.mspId}: failed adding OU, certificate not in root or intermediate certs`);
    }
    return sha256(...this.buildChain(cert).map((c) => c.raw));
  }

  /** The chain from `cert` up to one of the roots, `cert` first; throws if it does not reach one. */
  private buildChain(cert: ParsedCert): ParsedCert[] {
    const chain = [cert];
    let current = cert;
    for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
      const root = this.roots.find((r) => isIssuedBy(current, r));
      if (root) {
        chain.push(root);
        return chain;
      }
      const parent = this.intermediates.find((i) => i !== current && isIssuedBy(current, i));
      if (!parent) break;
      if (!parent.isCA) throw new Error('the supplied identity is not valid: issuer is not a CA');
      chain.push(parent);
      current = parent;
    }
    throw new Error(
      `the supplied identity is not valid: x509: certificate signed by unknown authority (not chained to MSP ${this.mspId}'s roots)`,
    );
  }

  /**
   * Validates an identity certificate (fabric validateIdentity): not a CA, chained to a root,
   * issued by a leaf of the CA tree, within validity at its own notBefore + 1s (Fabric ignores
   * the current time here: FAB-3678), not revoked by a CRL of its issuer (revocation_list), and with
   * exactly one NodeOU when NodeOUs are enabled.
   * Returns the validation chain.
   */
  private validateCert(cert: ParsedCert): ParsedCert[] {
    if (cert.isCA) {
      throw new Error(
        'An X509 certificate with Basic Constraint: Certificate Authority equals true cannot be used as an identity',
      );
    }
    const chain = this.buildChain(cert);
    if (!chainValidAt(chain, new Date(cert.notBefore.getTime() + 1000))) {
      throw new Error(
        'the supplied identity is not valid: x509: certificate has expired or is not yet valid',
      );
    }
    if (this.internalNodes.has(chain[1].raw.toString('base64'))) {
      throw new Error(
        'invalid validation chain. Parent certificate should be a leaf of the certification tree',
      );
    }
    if (this.crls.isRevoked(cert, chain[1])) throw new Error('The certificate has been revoked');
    return chain;
  }

  private organizationalUnits(cert: ParsedCert, chain: ParsedCert[]): OUIdentifier[] {
    const certifiersIdentifier = sha256(...chain.slice(1).map((c) => c.raw));
    return cert.ous.map((ou) => ({ organizationalUnitIdentifier: ou, certifiersIdentifier }));
  }

  /** The NodeOU role of the identity, enforcing exactly one (fabric validateIdentityOUsV142). */
  private classify(ous: OUIdentifier[]): NodeRole {
    if (this.ouIdentifiers.size > 0) {
      const found = ous.some((ou) =>
        (this.ouIdentifiers.get(ou.organizationalUnitIdentifier) ?? []).some(
          (c) => c.length === 0 || bytesEqual(c, ou.certifiersIdentifier),
        ),
      );
      if (!found)
        throw new Error(
          `none of the identity's organizational units [${ous.map((o) => o.organizationalUnitIdentifier).join(', ')}] are in MSP ${this.mspId}`,
        );
    }
    if (!this.nodeOUsEnabled) return 'member';
    const matched: NodeRole[] = [];
    for (const ou of ous) {
      const nodeOU = this.nodeOUs.find((n) => n.ou === ou.organizationalUnitIdentifier);
      if (!nodeOU) continue;
      if (
        nodeOU.certifiersIdentifier.length > 0 &&
        !bytesEqual(nodeOU.certifiersIdentifier, ou.certifiersIdentifier)
      ) {
        throw new Error(
          `certifiersIdentifier does not match for OU ${ou.organizationalUnitIdentifier}, MSP: [${this.mspId}]`,
        );
      }
      matched.push(nodeOU.role);
    }
    const ouList = ous.map((o) => o.organizationalUnitIdentifier).join(', ');
    if (matched.length === 0) {
      throw new Error(
        `the identity does not have an OU that resolves to client, peer, orderer, or admin role. OUs: [${ouList}], MSP: [${this.mspId}]`,
      );
    }
    if (matched.length > 1) {
      throw new Error(
        `the identity must have a client, a peer, an orderer, or an admin OU role to be valid, not a combination of them. OUs: [${ouList}], MSP: [${this.mspId}]`,
      );
    }
    return matched[0];
  }

  /**
   * Deserializes and validates a msp.SerializedIdentity of this MSP (fabric DeserializeIdentity +
   * Validate). Throws naming what was wrong: other MSP, bad PEM/cert, not chained, bad OUs.
   */
  deserializeIdentity(serialized: Uint8Array): X509Identity {
    const sid = unmarshal('SerializedIdentity', mspProto.SerializedIdentity.deserializeBinary, serialized);
    if (sid.getMspid() !== this.mspId)
      throw new Error(`expected MSP ID ${this.mspId}, received ${sid.getMspid()}`);
    return this.identityFromCert(serialized, parseCertPem(sid.getIdBytes_asU8()));
  }

  private identityFromCert(serialized: Uint8Array, cert: ParsedCert): X509Identity {
    const publicKey = cert.x509.publicKey;
    if (publicKey.asymmetricKeyType !== 'ec') {
      throw new Error(
        `could not validate identity's public key algorithm: ${publicKey.asymmetricKeyType} is not supported`,
      );
    }
    let chain: ParsedCert[];
    try {
      chain = this.validateCert(cert);
    } catch (err) {
      throw new Error(`could not validate identity against MSP ${this.mspId}: ${(err as Error).message}`);
    }
    const ous = this.organizationalUnits(cert, chain);
    let role: NodeRole;
    try {
      role = this.classify(ous);
    } catch (err) {
      throw new Error(`could not validate identity's OUs: ${(err as Error).message}`);
    }
    const listedAdmin = this.admins.some((a) => a.raw.equals(cert.raw));
    if (role === 'member' && listedAdmin) role = 'admin';
    const isAdmin = listedAdmin || role === 'admin';
    const id = sha256(cert.raw).toString('hex');
    return new X509Identity(this.mspId, serialized, cert, id, role, isAdmin, ous, publicKey, this);
  }

  /**
   * Throws unless `identity` (of this MSP) satisfies `principal` (fabric SatisfiesPrincipal,
   * MSP v1.4.3): ROLE MEMBER/ADMIN/CLIENT/PEER/ORDERER, IDENTITY, ORGANIZATION_UNIT, COMBINED
   * (all must hold), ANONYMITY (NOMINAL only).
   */
  satisfiesPrincipal(identity: X509Identity, principal: mspProto.MSPPrincipal): void {
    const reason = this.principalMismatch(identity, principal);
    if (reason !== undefined) throw new Error(reason);
  }

  /**
   * Why `identity` does not satisfy `principal`, or undefined when it does: what
   * {@link satisfiesPrincipal} throws, without building an exception, for policy evaluation, which
   * tries every identity against every principal.
   */
  principalMismatch(identity: X509Identity, principal: mspProto.MSPPrincipal): string | undefined {
    if (identity.mspId !== this.mspId) {
      return `identity of MSP ${identity.mspId} cannot be checked by MSP ${this.mspId}`;
    }
    const decoded = decodePrincipal(principal);
    switch (decoded.kind) {
      case 'role':
        return this.roleMismatch(identity, decoded.role);
      case 'identity':
        return this.identityMismatch(identity, decoded.bytes);
      case 'ou':
        return this.ouMismatch(identity, decoded.ou);
      case 'combined': {
        if (decoded.principals.length === 0) return 'No principals in CombinedPrincipal';
        for (const p of decoded.principals) {
          const reason = this.principalMismatch(identity, p);
          if (reason !== undefined) return reason;
        }
        return undefined;
      }
      case 'anonymity':
        return decoded.nominal
          ? undefined
          : 'Principal is anonymous, but X.509 MSP does not support anonymous identities';
      case 'invalid':
        return decoded.reason;
    }
  }

  private roleMismatch(identity: X509Identity, role: mspProto.MSPRole): string | undefined {
    if (role.getMspIdentifier() !== this.mspId) {
      return `the identity is a member of a different MSP (expected ${role.getMspIdentifier()}, got ${identity.mspId})`;
    }
    const wanted = role.getRole();
    switch (wanted) {
      case MSPRoleType.MEMBER:
        return undefined; // deserialization already validated the identity
      case MSPRoleType.ADMIN:
        return identity.isAdmin ? undefined : `The identity is not an admin under this MSP [${this.mspId}]`;
      case MSPRoleType.CLIENT:
      case MSPRoleType.PEER:
      case MSPRoleType.ORDERER: {
        const name = roleTypeName(wanted);
        // Like fabric hasOURole: the configured NodeOU for the role must be among the identity's OUs.
        const nodeOU = this.nodeOUs.find((n) => n.role === name.toLowerCase());
        if (!nodeOU) {
          return `cannot test for classification, node ou for type [${name}], not defined, msp: [${this.mspId}]`;
        }
        if (identity.ous.includes(nodeOU.ou)) return undefined;
        return `The identity is not a [${name}] under this MSP [${this.mspId}]`;
      }
      default:
        return `invalid MSP role type ${wanted}`;
    }
  }

  private identityMismatch(identity: X509Identity, principalBytes: Uint8Array): string | undefined {
    let principalId: X509Identity;
    try {
      principalId = this.deserializeIdentity(principalBytes);
    } catch (err) {
      return `invalid identity principal, not a certificate: ${(err as Error).message}`;
    }
    return identity.cert.raw.equals(principalId.cert.raw) ? undefined : 'The identities do not match';
  }

  private ouMismatch(identity: X509Identity, ou: mspProto.OrganizationUnit): string | undefined {
    if (ou.getMspIdentifier() !== this.mspId) {
      return `the identity is a member of a different MSP (expected ${ou.getMspIdentifier()}, got ${identity.mspId})`;
    }
    const match = identity.organizationalUnits.some(
      (o) =>
        o.organizationalUnitIdentifier === ou.getOrganizationalUnitIdentifier() &&
        bytesEqual(o.certifiersIdentifier, ou.getCertifiersIdentifier_asU8()),
    );
    return match ? undefined : `The identity does not carry OU ${ou.getOrganizationalUnitIdentifier()}`;
  }
}

/** An MSPPrincipal's principal bytes, decoded once per principal object. */
type DecodedPrincipal =
  | { kind: 'role'; role: mspProto.MSPRole }
  | { kind: 'identity'; bytes: Uint8Array }
  | { kind: 'ou'; ou: mspProto.OrganizationUnit }
  | { kind: 'combined'; principals: mspProto.MSPPrincipal[] }
  | { kind: 'anonymity'; nominal: boolean }
  | { kind: 'invalid'; reason: string };

/** Policies compile their principals once and keep them, so decoding is cached by principal object. */
const decodedPrincipals = new WeakMap<mspProto.MSPPrincipal, DecodedPrincipal>();

function decodePrincipal(principal: mspProto.MSPPrincipal): DecodedPrincipal {
  let decoded = decodedPrincipals.get(principal);
  if (decoded === undefined) {
    try {
      decoded = decodePrincipalBytes(principal);
    } catch (err) {
      decoded = { kind: 'invalid', reason: (err as Error).message };
    }
    decodedPrincipals.set(principal, decoded);
  }
  return decoded;
}

function decodePrincipalBytes(principal: mspProto.MSPPrincipal): DecodedPrincipal {
  const bytes = principal.getPrincipal_asU8();
  switch (principal.getPrincipalClassification()) {
    case Classification.ROLE:
      return { kind: 'role', role: unmarshal('MSPRole', mspProto.MSPRole.deserializeBinary, bytes) };
    case Classification.IDENTITY:
      return { kind: 'identity', bytes };
    case Classification.ORGANIZATION_UNIT:
      return {
        kind: 'ou',
        ou: unmarshal('OrganizationUnit', mspProto.OrganizationUnit.deserializeBinary, bytes),
      };
    case Classification.COMBINED:
      return {
        kind: 'combined',
        principals: unmarshal(
          'CombinedPrincipal',
          mspProto.CombinedPrincipal.deserializeBinary,
          bytes,
        ).getPrincipalsList(),
      };
    case Classification.ANONYMITY: {
      const anon = unmarshal('MSPIdentityAnonymity', mspProto.MSPIdentityAnonymity.deserializeBinary, bytes);
      return {
        kind: 'anonymity',
        nominal: anon.getAnonymityType() === mspProto.MSPIdentityAnonymity.MSPIdentityAnonymityType.NOMINAL,
      };
    }
    default:
      return {
        kind: 'invalid',
        reason: `invalid principal type ${principalTypeName(principal.getPrincipalClassification())}`,
      };
  }
}
