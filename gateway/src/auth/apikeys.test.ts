import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ApiKeyAuthenticator, createApiKey, readApiKeyFile } from './apikeys';

describe('API keys', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'gateway-keys-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores only a hash of the key and authenticates the system by it', () => {
    const file = path.join(dir, 'keys.json');
    const key = createApiKey(file, 'registry-sync');
    const secret = key.split('_').slice(2).join('_');
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(secret);
    expect(stored).toContain('registry-sync');
    const keys = new ApiKeyAuthenticator(readApiKeyFile(file));
    expect(keys.verify(key)).toEqual({ kind: 'system', enrollmentId: 'system-registry-sync' });
    expect(() => keys.verify(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toThrow(
      'API key rejected: unknown or revoked key',
    );
    expect(() => keys.verify('gfk_nope')).toThrow('API key rejected');
  });

  it('replaces a system’s key when a new one is created (the old one stops working)', () => {
    const file = path.join(dir, 'rotate.json');
    const first = createApiKey(file, 'batch');
    const second = createApiKey(file, 'batch');
    const keys = new ApiKeyAuthenticator(readApiKeyFile(file));
    expect(() => keys.verify(first)).toThrow('API key rejected');
    expect(keys.verify(second).enrollmentId).toBe('system-batch');
  });
});
