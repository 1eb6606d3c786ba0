import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';
import { packageIdOf, writeCcaasPackage } from './ccaaspackage';

describe('ccaas package', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-test-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const connection = { address: '127.0.0.1:7052', dial_timeout: '10s', tls_required: false };

  it('holds metadata.json and code.tar.gz with connection.json, and its id is label:sha256', async () => {
    const pkg = await writeCcaasPackage(path.join(dir, 'egov.tar.gz'), 'egov_0.1', connection);
    const entries: string[] = [];
    await tar.list({ file: pkg.file, onReadEntry: (e) => entries.push(e.path) });
    expect(entries.sort()).toEqual(['code.tar.gz', 'metadata.json']);
    expect(pkg.packageId).toMatch(/^egov_0\.1:[0-9a-f]{64}$/);
    expect(pkg.packageId).toBe(packageIdOf('egov_0.1', fs.readFileSync(pkg.file)));

    await tar.extract({ file: pkg.file, cwd: dir });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'metadata.json'), 'utf8'))).toEqual({
      type: 'ccaas',
      label: 'egov_0.1',
    });
    await tar.extract({ file: path.join(dir, 'code.tar.gz'), cwd: dir });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'connection.json'), 'utf8'))).toEqual(connection);
  });

  it('gives the same id for the same connection and a different one for another address', async () => {
    const a = await writeCcaasPackage(path.join(dir, 'a.tar.gz'), 'egov_0.1', connection);
    const b = await writeCcaasPackage(path.join(dir, 'b.tar.gz'), 'egov_0.1', connection);
    const c = await writeCcaasPackage(path.join(dir, 'c.tar.gz'), 'egov_0.1', {
      ...connection,
      address: '127.0.0.1:8052',
    });
    expect(b.packageId).toBe(a.packageId);
    expect(c.packageId).not.toBe(a.packageId);
  });
});
