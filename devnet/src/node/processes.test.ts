import { spawn } from 'node:child_process';
import { isAlive } from './processes';

describe('isAlive', () => {
  it('is true for a running process and false soon after kill -9, even while the process is an unreaped zombie', async () => {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    child.unref(); // as devnet starts nodes: nobody here reaps it at once
    const pid = child.pid as number;
    expect(isAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    // The kill takes effect within milliseconds; reaping the zombie may take seconds (or never happen).
    for (let i = 0; i < 20 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 10));
    expect(isAlive(pid)).toBe(false);
  });
});
