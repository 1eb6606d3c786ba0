import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { msp as mspProto } from '@hyperledger/fabric-protos';
import { parseDerIntegerPair } from '../protoutil/der';
import { fabricMSPConfigFromDir } from './configbuilder';
import { MSPManager } from './mspmgr';
import { identityPrincipal, ouPrincipal, rolePrincipal } from './principals';
import { SigningIdentity } from './signingidentity';
import { toHighS } from './ecdsa';
import type { X509Identity } from './identity';
import { createOrg, createRootCA, fabricMSPConfig, issueCert, signer, type TestOrg } from './testing/certs';

const P256_HALF_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n / 2n;

let immigration: TestOrg;
let education: TestOrg;
let msps: MSPManager;

beforeAll(async () => {
  immigration = await createOrg('ImmigrationMSP');
  education = await createOrg('EducationMSP');
  msps = MSPManager.fromConfigs([immigration.config, education.config]);
});

describe('deserializeIdentity', () => {
  it('caches identities by their bytes, and by the very array without copying its bytes into a key again', () => {
    const m = MSPManager.fromConfigs([immigration.config]);
    const bytes = immigration.client.serialize();
    const first = m.deserializeIdentity(bytes);
    const toString = jest.spyOn(Buffer.prototype, 'toString');
    expect(m.deserializeIdentity(bytes)).toBe(first);
    expect(toString).not.toHaveBeenCalled();
    toString.mockRestore();
    expect(m.deserializeIdentity(Uint8Array.from(bytes))).toBe(first);
    const other = Uint8Array.from(immigration.peer.serialize());
    expect(m.deserializeIdentity(other).role).toBe('peer');
    expect(() => m.deserializeIdentity(education.peer.serialize())).toThrow(/not defined on channel/);
  });

  it('classifies roles from the NodeOU of the certificate', () => {
    expect(msps.deserializeIdentity(immigration.peer.serialize()).role).toBe('peer');
    expect(msps.deserializeIdentity(immigration.client.serialize()).role).toBe('client');
    const admin = msps.deserializeIdentity(immigration.admin.serialize());
    expect(admin.role).toBe('admin');
    expect(admin.isAdmin).toBe(true);
    expect(admin.mspId).toBe('ImmigrationMSP');
    expect(admin.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(admin.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a certificate from a foreign CA claiming the MSP', async () => {
    const rogueCA = await createRootCA('rogue');
    const rogue = signer('ImmigrationMSP', await issueCert(rogueCA, { cn: 'peer0', ous: ['peer'] }));
    expect(() => msps.deserializeIdentity(rogue.serialize())).toThrow(
      /not chained to MSP ImmigrationMSP's roots/,
    );
    // another org's real identity relabelled with this MSP ID is foreign too
    const relabelled = new mspProto.SerializedIdentity();
    relabelled.setMspid('ImmigrationMSP');
    relabelled.setIdBytes(Buffer.from(education.peer.certPem));
    expect(() => msps.deserializeIdentity(relabelled.serializeBinary())).toThrow(/not chained/);
  });

  it('rejects unknown MSPs, bad PEM, CA certs and ambiguous or missing NodeOUs', async () => {
    const sid = (mspId: string, pem: string) => {
      const s = new mspProto.SerializedIdentity();
      s.setMspid(mspId);
      s.setIdBytes(Buffer.from(pem));
      return s.serializeBinary();
    };
    expect(() => msps.deserializeIdentity(sid('HealthMSP', immigration.peer.certPem))).toThrow(
      'MSP HealthMSP is not defined on channel',
    );
    expect(() => msps.deserializeIdentity(sid('ImmigrationMSP', 'not a pem'))).toThrow(
      /could not decode the PEM/,
    );
    expect(() => msps.deserializeIdentity(sid('ImmigrationMSP', immigration.ca.certPem))).toThrow(
      /Certificate Authority equals true/,
    );
    const both = await issueCert(immigration.ca, { cn: 'x', ous: ['peer', 'client'] });
    expect(() => msps.deserializeIdentity(sid('ImmigrationMSP', both.certPem))).toThrow(/not a combination/);
    const none = await issueCert(immigration.ca, { cn: 'y', ous: ['engineering'] });
    expect(() => msps.deserializeIdentity(sid('ImmigrationMSP', none.certPem))).toThrow(
      /does not have an OU/,
    );
  });

  it("ignores expiry like Fabric's MSP but exposes it", async () => {
    const expired = await issueCert(immigration.ca, {
      cn: 'old',
      ous: ['client'],
      // within the CA's validity at notBefore + 1s, which is all Fabric checks
      notBefore: new Date(Date.now() - 20 * 3_600_000),
      notAfter: new Date(Date.now() - 3_600_000),
    });
    const id = msps.deserializeIdentity(signer('ImmigrationMSP', expired).serialize());
    expect(id.expiresAt.getTime()).toBeLessThan(Date.now());
  });

  it('gives member role without NodeOUs and admin to listed admins', async () => {
    const ca = await createRootCA('ca.legacy');
    const adminCert = await issueCert(ca, { cn: 'Admin' });
    const userCert = await issueCert(ca, { cn: 'User' });
    const m = MSPManager.fromConfigs([
      fabricMSPConfig({ mspId: 'LegacyMSP', root: ca, admins: [adminCert], nodeOUs: false }),
    ]);
    expect(m.deserializeIdentity(signer('LegacyMSP', userCert).serialize()).role).toBe('member');
    expect(m.deserializeIdentity(signer('LegacyMSP', adminCert).serialize()).role).toBe('admin');
    const user = m.deserializeIdentity(signer('LegacyMSP', userCert).serialize());
    expect(() => user.satisfiesPrincipal(rolePrincipal('LegacyMSP', 'peer'))).toThrow(
      /cannot test for classification/,
    );
  });

  it('follows intermediate CAs, and the root that issued them may not issue identities', async () => {
    const root = await createRootCA('root');
    const inter = await issueCert(root, { cn: 'intermediate', isCA: true });
    const viaInter = await issueCert(inter, { cn: 'peer', ous: ['peer'] });
    const viaRoot = await issueCert(root, { cn: 'peer2', ous: ['peer'] });
    const m = MSPManager.fromConfigs([
      fabricMSPConfig({ mspId: 'TreeMSP', root, intermediates: [inter], nodeOUCertifier: inter }),
    ]);
    expect(m.deserializeIdentity(signer('TreeMSP', viaInter).serialize()).role).toBe('peer');
    expect(() => m.deserializeIdentity(signer('TreeMSP', viaRoot).serialize())).toThrow(
      /leaf of the certification tree/,
    );
    // NodeOUs certified by the root: an identity under the intermediate has another certifier chain
    const rootCertified = MSPManager.fromConfigs([
      fabricMSPConfig({ mspId: 'TreeMSP', root, intermediates: [inter] }),
    ]);
    expect(() => rootCertified.deserializeIdentity(signer('TreeMSP', viaInter).serialize())).toThrow(
      /certifiersIdentifier does not match/,
    );
  });

  it('caches identities by their bytes', () => {
    const a = msps.deserializeIdentity(immigration.peer.serialize());
    expect(msps.deserializeIdentity(Buffer.from(immigration.peer.serialize()))).toBe(a);
  });
});

describe('signatures', () => {
  it('signs with low S and verifies; high-S twins and tampered messages are rejected', () => {
    const id = msps.deserializeIdentity(immigration.client.serialize());
    const msg = Buffer.from('hello fabric');
    for (let i = 0; i < 8; i++) {
      const sig = immigration.client.sign(msg);
      expect(parseDerIntegerPair(sig).s <= P256_HALF_ORDER).toBe(true);
      expect(id.verify(msg, sig)).toBe(true);
      const high = toHighS(new X509Certificate(immigration.client.certPem).publicKey, sig);
      expect(parseDerIntegerPair(high).s > P256_HALF_ORDER).toBe(true);
      expect(id.verify(msg, high)).toBe(false);
      // rejected for being high-S (OpenSSL alone would accept this twin)
      expect((id as X509Identity).verifyReason(msg, high)).toMatch(/invalid S/);
    }
    const sig = immigration.client.sign(msg);
    expect(id.verify(Buffer.from('hello fabriC'), sig)).toBe(false);
    expect(id.verify(msg, Buffer.from('garbage'))).toBe(false);
    expect(msps.deserializeIdentity(education.client.serialize()).verify(msg, sig)).toBe(false);
  });
});

describe('satisfiesPrincipal', () => {
  it('answers ROLE principals', () => {
    const peer = msps.deserializeIdentity(immigration.peer.serialize());
    const admin = msps.deserializeIdentity(immigration.admin.serialize());
    expect(() => peer.satisfiesPrincipal(rolePrincipal('ImmigrationMSP', 'member'))).not.toThrow();
    expect(() => peer.satisfiesPrincipal(rolePrincipal('ImmigrationMSP', 'peer'))).not.toThrow();
    expect(() => peer.satisfiesPrincipal(rolePrincipal('ImmigrationMSP', 'client'))).toThrow(
      /not a \[CLIENT\]/,
    );
    expect(() => peer.satisfiesPrincipal(rolePrincipal('ImmigrationMSP', 'admin'))).toThrow(/not an admin/);
    expect(() => peer.satisfiesPrincipal(rolePrincipal('EducationMSP', 'member'))).toThrow(/different MSP/);
    expect(() => admin.satisfiesPrincipal(rolePrincipal('ImmigrationMSP', 'admin'))).not.toThrow();
    expect(() => admin.satisfiesPrincipal(rolePrincipal('ImmigrationMSP', 'orderer'))).toThrow(/ORDERER/);
  });

  it('answers IDENTITY and ORGANIZATION_UNIT principals', () => {
    const peer = msps.deserializeIdentity(immigration.peer.serialize());
    expect(() => peer.satisfiesPrincipal(identityPrincipal(immigration.peer.serialize()))).not.toThrow();
    expect(() => peer.satisfiesPrincipal(identityPrincipal(immigration.client.serialize()))).toThrow(
      /do not match/,
    );
    expect(() => peer.satisfiesPrincipal(ouPrincipal('ImmigrationMSP', 'peer', new Uint8Array(0)))).toThrow(
      /does not carry OU/,
    );
    const certifiers = (peer as unknown as { organizationalUnits: { certifiersIdentifier: Uint8Array }[] })
      .organizationalUnits[0].certifiersIdentifier;
    expect(() => peer.satisfiesPrincipal(ouPrincipal('ImmigrationMSP', 'peer', certifiers))).not.toThrow();
  });
});

describe('SigningIdentity.fromMSPDir and fabricMSPConfigFromDir', () => {
  it('reads a cryptogen MSP folder', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-'));
    try {
      const ca = await createRootCA('ca.dir');
      const user = await issueCert(ca, { cn: 'User1', ous: ['client'] });
      for (const d of ['signcerts', 'keystore', 'cacerts']) fs.mkdirSync(path.join(dir, d));
      fs.writeFileSync(path.join(dir, 'signcerts', 'User1-cert.pem'), user.certPem);
      fs.writeFileSync(path.join(dir, 'keystore', 'priv_sk'), user.keyPem);
      fs.writeFileSync(path.join(dir, 'cacerts', 'ca-cert.pem'), ca.certPem);
      const ou = (o: string) =>
        `    Certificate: cacerts/ca-cert.pem\n    OrganizationalUnitIdentifier: ${o}\n`;
      fs.writeFileSync(
        path.join(dir, 'config.yaml'),
        `NodeOUs:\n  Enable: true\n  ClientOUIdentifier:\n${ou('client')}  PeerOUIdentifier:\n${ou('peer')}  AdminOUIdentifier:\n${ou('admin')}  OrdererOUIdentifier:\n${ou('orderer')}`,
      );
      const sid = SigningIdentity.fromMSPDir(dir, 'DirMSP');
      const m = MSPManager.fromConfigs([fabricMSPConfigFromDir(dir, 'DirMSP')]);
      const id = m.deserializeIdentity(sid.serialize());
      expect(id.role).toBe('client');
      expect(id.certPem.trim()).toBe(user.certPem.trim());
      expect(id.verify(Buffer.from('x'), sid.sign(Buffer.from('x')))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a key that does not match the certificate', async () => {
    const ca = await createRootCA('ca.mismatch');
    const a = await issueCert(ca, { cn: 'a' });
    const b = await issueCert(ca, { cn: 'b' });
    expect(() => SigningIdentity.fromPem('X', a.certPem, b.keyPem)).toThrow(/does not match/);
  });
});
