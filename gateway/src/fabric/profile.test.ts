import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../config';
import { loadConnectionProfile, parseConnectionProfile } from './profile';

const valid = {
  mspId: 'ImmigrationMSP',
  channel: 'egov',
  chaincode: { name: 'egov', version: '0.1' },
  peerEndpoint: '127.0.0.1:7051',
  peerHostAlias: 'peer0.immigration.egov.local',
  tlsCaCertPath: '/x/tlsca.pem',
  certPath: 'users/User1/cert.pem',
  keyPath: '/x/priv_sk',
  extraFieldFromNetworkConfig: true,
};

describe('parseConnectionProfile', () => {
  it('accepts network-config profiles, ignores extra fields and resolves relative paths', () => {
    const profile = parseConnectionProfile(valid, 'test', '/home/devnet/profiles');
    expect(profile).toEqual({
      mspId: 'ImmigrationMSP',
      channel: 'egov',
      chaincode: { name: 'egov', version: '0.1' },
      peerEndpoint: '127.0.0.1:7051',
      peerHostAlias: 'peer0.immigration.egov.local',
      tlsCaCertPath: '/x/tlsca.pem',
      certPath: '/home/devnet/profiles/users/User1/cert.pem',
      keyPath: '/x/priv_sk',
    });
  });

  it('names every missing or malformed field', () => {
    const bad: Record<string, unknown> = { ...valid, peerEndpoint: 'localhost' };
    delete bad.mspId;
    delete bad.keyPath;
    expect(() => parseConnectionProfile(bad, 'p.json')).toThrow(ConfigError);
    try {
      parseConnectionProfile(bad, 'p.json');
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/^invalid connection profile p\.json: /);
      expect(message).toContain('mspId:');
      expect(message).toContain('keyPath:');
      expect(message).toContain('peerEndpoint: host:port');
    }
  });
});

describe('loadConnectionProfile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'gateway-profile-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a profile file', () => {
    const file = path.join(dir, 'ImmigrationMSP.json');
    writeFileSync(file, JSON.stringify(valid));
    expect(loadConnectionProfile(file).certPath).toBe(path.join(dir, 'users/User1/cert.pem'));
  });

  it('says when the file is missing, and how to create it', () => {
    expect(() => loadConnectionProfile(path.join(dir, 'none.json'))).toThrow(
      /cannot read connection profile .*none\.json.*network:up/,
    );
  });

  it('says when the file is not JSON', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{ mspId: ');
    expect(() => loadConnectionProfile(file)).toThrow(/bad\.json is not valid JSON/);
  });
});
