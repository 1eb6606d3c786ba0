import { FakeWorldState, newContext } from '../testing/fake-stub';
import { newIdentity, type TestIdentity } from '../testing/identities';
import { AccessDeniedError } from './errors';
import { caller, callerOUs, isAdmin, parseOUs, requireAdmin } from './identity';

/** A context whose caller is `who`. */
function ctxOf(who: TestIdentity) {
  return newContext(
    new FakeWorldState().newTransaction({ txId: 't1', timestamp: new Date(0), creator: who }),
  );
}

describe('caller identity', () => {
  let admin: TestIdentity;
  let client: TestIdentity;
  let tricky: TestIdentity;

  beforeAll(async () => {
    admin = await newIdentity('EducationMSP', 'Admin@education.egov.local', ['admin']);
    client = await newIdentity('EducationMSP', 'User1@education.egov.local', ['client', 'department-a']);
    tricky = await newIdentity('EducationMSP', 'OU=admin', ['client', 'administrators']);
  });

  it('reports MSP ID and the x509::subject::issuer id', () => {
    const who = caller(ctxOf(client));
    expect(who.mspId).toBe('EducationMSP');
    expect(who.id).toMatch(
      /^x509::\/C=US\/O=educationmsp\.egov\.local\/OU=client\/OU=department-a\/CN=User1@education\.egov\.local::/,
    );
  });

  it('reads all OUs from the certificate', () => {
    expect(callerOUs(ctxOf(client))).toEqual(['client', 'department-a']);
  });

  it('treats only OU=admin as admin (not a CN or an OU that merely contains "admin")', () => {
    expect(isAdmin(ctxOf(admin))).toBe(true);
    expect(isAdmin(ctxOf(client))).toBe(false);
    expect(isAdmin(ctxOf(tricky))).toBe(false);
  });

  it('requireAdmin names the action and the caller MSP', () => {
    expect(requireAdmin(ctxOf(admin), 'DefineRule').mspId).toBe('EducationMSP');
    expect(() => requireAdmin(ctxOf(client), 'DefineRule')).toThrow(AccessDeniedError);
    expect(() => requireAdmin(ctxOf(client), 'DefineRule')).toThrow(
      'DefineRule requires an admin identity (certificate OU=admin); the caller from EducationMSP is not an admin',
    );
  });

  it('parses multi-valued RDNs and keeps escaped plus signs inside a value', () => {
    expect(parseOUs('C=US\nOU=client + OU=admin\nOU=a\\+b\nCN=x')).toEqual(['client', 'admin', 'a\\+b']);
  });

  it('answers a certificate seen before from its cache with a copy the caller may change', () => {
    const first = callerOUs(ctxOf(tricky));
    first.push('admin');
    expect(callerOUs(ctxOf(tricky))).toEqual(['client', 'administrators']);
    expect(isAdmin(ctxOf(tricky))).toBe(false);
    expect(isAdmin(ctxOf(admin))).toBe(true);
  });

  it('refuses an identity that is not an X.509 certificate', () => {
    const ctx = ctxOf(client);
    ctx.clientIdentity = {
      ...ctx.clientIdentity,
      getMSPID: () => 'IdemixMSP',
      getIDBytes: () => Buffer.from('idemix'),
    };
    expect(() => callerOUs(ctx)).toThrow("the caller's identity (IdemixMSP) is not an X.509 certificate");
  });
});
