import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SignJWT, UnsecuredJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, ensureDevIssuer, mintDevToken } from './devissuer';
import { JwtAuthenticator, keySetOf } from './jwt';

describe('JwtAuthenticator', () => {
  let home: string;
  let jwt: JwtAuthenticator;

  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), 'gateway-jwt-'));
    jwt = new JwtAuthenticator({
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      jwks: ensureDevIssuer(home).jwksPath,
    });
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("names the officer by the token's sub", async () => {
    expect(await jwt.verify(await mintDevToken(home, { sub: 'officer.one@edu' }))).toEqual({
      kind: 'officer',
      enrollmentId: 'officer.one@edu',
    });
  });

  it('checks a token it verified again only after a minute, or once it has expired', async () => {
    const keys = keySetOf(ensureDevIssuer(home).jwksPath);
    let lookups = 0;
    const counted = new JwtAuthenticator(
      { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, jwks: 'unused' },
      (header, token) => {
        lookups++;
        return keys(header, token);
      },
    );
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue(now);
      const token = await mintDevToken(home, { sub: 'officer.two' });
      for (let i = 0; i < 3; i++) expect((await counted.verify(token)).enrollmentId).toBe('officer.two');
      expect(lookups).toBe(1);
      clock.mockReturnValue(now + 61_000);
      await counted.verify(token);
      expect(lookups).toBe(2);
      // Another token is verified on its own, whatever the first one's state.
      await counted.verify(await mintDevToken(home, { sub: 'officer.three' }));
      expect(lookups).toBe(3);
    } finally {
      clock.mockRestore();
    }
  });

  it('refuses a token for another audience, an expired one and one signed by another key', async () => {
    await expect(jwt.verify(await mintDevToken(home, { sub: 'a', audience: 'other' }))).rejects.toThrow(
      'bearer token rejected: claim "aud" is not as expected',
    );
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'x' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setSubject('a')
      .setExpirationTime('1h')
      .sign(other);
    await expect(jwt.verify(forged)).rejects.toThrow(
      'bearer token rejected: no key of the issuer matches it',
    );
    const expired = new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setSubject('a')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600);
    const { createPrivateKey } = await import('node:crypto');
    const { readFileSync } = await import('node:fs');
    const key = createPrivateKey(readFileSync(ensureDevIssuer(home).privateKeyPath));
    await expect(jwt.verify(await expired.sign(key))).rejects.toThrow(
      'bearer token rejected: it has expired',
    );
    const wrongIssuer = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('https://elsewhere')
      .setAudience(DEV_AUDIENCE)
      .setSubject('a')
      .setExpirationTime('1h')
      .sign(key);
    await expect(jwt.verify(wrongIssuer)).rejects.toThrow('claim "iss" is not as expected');
  });

  it('refuses unsigned tokens, garbage and a sub that cannot name an identity', async () => {
    const unsigned = new UnsecuredJWT({})
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setSubject('a')
      .encode();
    await expect(jwt.verify(unsigned)).rejects.toThrow('bearer token rejected');
    await expect(jwt.verify('not.a.jwt')).rejects.toThrow('bearer token rejected: it is not a valid JWT');
    await expect(jwt.verify(await mintDevToken(home, { sub: '../etc/passwd' }))).rejects.toThrow(
      'its "sub" must be 1-64 letters',
    );
  });
});
