import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive, startProcess } from './processes';

describe('isAlive', () => {
  it('is true for a running process and false soon after kill -9, even while the process is an unreaped zombie', async () => {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    child.unref(); // as devnet starts nodes: nobody here reaps it at once
    const pid = child.pid as number;
    expect(isAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    // The kill takes effect once the kernel schedules the process (milliseconds, longer on a loaded
    // machine); reaping the zombie may take seconds (or never happen). Poll for it, up to 10 s.
    for (let i = 0; i < 1000 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 10));
    expect(isAlive(pid)).toBe(false);
  });
});

describe('startProcess', () => {
  it("gives node the spec's options, then DEVNET_NODE_ARGS, which so override them", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devnet-processes-'));
    const out = path.join(dir, 'argv.json');
    const script = path.join(dir, 'argv.js');
    // Written to a temporary name and renamed, so the file appears complete.
    fs.writeFileSync(
      script,
      `require('fs').writeFileSync(${JSON.stringify(out + '.tmp')}, JSON.stringify(process.execArgv));` +
        `require('fs').renameSync(${JSON.stringify(out + '.tmp')}, ${JSON.stringify(out)});`,
    );
    const saved = process.env.DEVNET_NODE_ARGS;
    process.env.DEVNET_NODE_ARGS = '--max-old-space-size=2048';
    try {
      startProcess({
        name: 'argv',
        script,
        nodeOptions: ['--max-old-space-size=1024', '--no-warnings'],
        logFile: path.join(dir, 'argv.log'),
        pidFile: path.join(dir, 'argv.pid'),
      });
    } finally {
      if (saved === undefined) delete process.env.DEVNET_NODE_ARGS;
      else process.env.DEVNET_NODE_ARGS = saved;
    }
    // The child writes its options and exits: wait for its file (up to 30 s on a loaded machine).
    for (let i = 0; i < 600 && !fs.existsSync(out); i++) await new Promise((r) => setTimeout(r, 50));
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual([
      '--max-old-space-size=1024',
      '--no-warnings',
      '--max-old-space-size=2048',
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
