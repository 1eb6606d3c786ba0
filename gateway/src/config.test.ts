import * as path from 'node:path';
import { ConfigError, loadConfig } from './config';

const repoRoot = path.resolve(__dirname, '..', '..');

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:3000, 1 MiB bodies and the Immigration profile under <repo>/.devnet', () => {
    expect(loadConfig({})).toMatchObject({
      allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
      rateLimitPerMinute: 6000,
      maxConnections: 512,
      host: '127.0.0.1',
      port: 3000,
      bodyLimitBytes: 1024 * 1024,
      jsonMaxDepth: 64,
      profilePath: path.join(repoRoot, '.devnet', 'profiles', 'ImmigrationMSP.json'),
    });
  });

  it('reads GATEWAY_* variables and resolves the profile path', () => {
    const config = loadConfig({
      GATEWAY_PORT: '8080',
      GATEWAY_HOST: '0.0.0.0',
      GATEWAY_PROFILE: 'p.json',
      GATEWAY_BODY_LIMIT: '4096',
      GATEWAY_JSON_MAX_DEPTH: '10',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      bodyLimitBytes: 4096,
      jsonMaxDepth: 10,
      profilePath: path.resolve('p.json'),
    });
  });

  it('finds the default profile under DEVNET_HOME when set, and treats empty variables as unset', () => {
    expect(loadConfig({ DEVNET_HOME: '/srv/devnet', GATEWAY_PORT: '' })).toMatchObject({
      port: 3000,
      profilePath: '/srv/devnet/profiles/ImmigrationMSP.json',
    });
  });

  it.each([
    [{ GATEWAY_PORT: 'http' }, 'GATEWAY_PORT'],
    [{ GATEWAY_PORT: '70000' }, 'GATEWAY_PORT'],
    [{ GATEWAY_BODY_LIMIT: '10' }, 'GATEWAY_BODY_LIMIT'],
    [{ GATEWAY_ADMIN_TOKEN: 'short' }, 'GATEWAY_ADMIN_TOKEN'],
    [{ GATEWAY_ENDORSING_ORGS: 'A,,B' }, 'GATEWAY_ENDORSING_ORGS'],
  ])('refuses %j naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`invalid gateway environment: ${name}:`));
  });

  it('reads the admin token, the admin profile and the endorsing organizations', () => {
    expect(
      loadConfig({
        GATEWAY_ADMIN_TOKEN: '0123456789abcdef',
        GATEWAY_ADMIN_PROFILE: 'a.json',
        GATEWAY_ENDORSING_ORGS: 'HealthMSP,EducationMSP',
      }),
    ).toMatchObject({
      adminToken: '0123456789abcdef',
      adminProfilePath: path.resolve('a.json'),
      endorsingOrgs: ['HealthMSP', 'EducationMSP'],
    });
  });

  it('reads the hardening settings, and allows the bound host name by default', () => {
    expect(
      loadConfig({
        GATEWAY_ALLOWED_HOSTS: 'gw.example.gov,10.0.0.5',
        GATEWAY_RATE_LIMIT: '0',
        GATEWAY_MAX_CONNECTIONS: '10',
        GATEWAY_CORS_ORIGINS: 'https://portal.example.gov',
      }),
    ).toMatchObject({
      allowedHosts: ['gw.example.gov', '10.0.0.5'],
      rateLimitPerMinute: 0,
      maxConnections: 10,
      corsOrigins: ['https://portal.example.gov'],
    });
    expect(loadConfig({ GATEWAY_HOST: 'gw.internal' }).allowedHosts).toContain('gw.internal');
    expect(loadConfig({ GATEWAY_HOST: '0.0.0.0' }).allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(() => loadConfig({ GATEWAY_CORS_ORIGINS: '*' })).toThrow(/GATEWAY_CORS_ORIGINS: /);
  });

  it('lists every wrong variable at once', () => {
    expect(() => loadConfig({ GATEWAY_PORT: '-1', GATEWAY_BODY_LIMIT: 'x' })).toThrow(
      /GATEWAY_PORT: .*; GATEWAY_BODY_LIMIT: /,
    );
  });
});
