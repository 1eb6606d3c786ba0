import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { appStatus } from './apps';

describe('appStatus', () => {
  let home: string;
  let server: http.Server;
  let url: string;
  beforeEach(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'devnet-apps-'));
    fs.mkdirSync(path.join(home, 'apps'));
    server = http.createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? 200 : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(home, { recursive: true, force: true });
  });

  const write = (file: string, text: string): void => fs.writeFileSync(path.join(home, 'apps', file), text);

  it('lists a running application with its address as up when its /healthz answers 200', async () => {
    write('gateway.pid', `${process.pid}\n`);
    write('gateway.url', `${url}\n`);
    expect(await appStatus(home)).toEqual([{ name: 'gateway', pid: process.pid, url, healthy: true }]);
  });

  it('lists it as down when nothing answers at its address, and as stopped when its process is gone', async () => {
    write('gateway.pid', `${process.pid}\n`);
    write('gateway.url', 'http://127.0.0.1:1\n');
    expect(await appStatus(home)).toEqual([
      { name: 'gateway', pid: process.pid, url: 'http://127.0.0.1:1', healthy: false },
    ]);
    write('gateway.pid', '2147483646\n');
    write('gateway.url', `${url}\n`);
    expect(await appStatus(home)).toEqual([{ name: 'gateway', url, healthy: false }]);
  });

  it('lists nothing without an apps folder', async () => {
    fs.rmSync(path.join(home, 'apps'), { recursive: true });
    expect(await appStatus(home)).toEqual([]);
  });
});
