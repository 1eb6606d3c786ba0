import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { runningPid } from './processes';

/**
 * Applications started beside the network (the HTTP gateway, by `npm start`) live in `<home>/apps/`:
 * `<name>.pid` (so that `down` stops them too) and `<name>.url`, the address they serve at (so that
 * `status` can list and probe them).
 */
export function appsDir(home: string): string {
  return path.join(home, 'apps');
}

/** The pid files of the applications started beside the network. */
export function appPidFiles(home: string): string[] {
  const dir = appsDir(home);
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.pid'))
        .map((f) => path.join(dir, f))
    : [];
}

/** One application's state, as `devnet status` prints it. */
export interface AppStatus {
  name: string;
  pid?: number;
  /** Where it serves (`http://127.0.0.1:3000`), when it wrote its `<name>.url`. */
  url?: string;
  /** Running and answering `GET <url>/healthz` with 200. */
  healthy: boolean;
}

/** Resolves with the status code of `GET <url>/healthz`, or undefined when nothing answers in time. */
function healthzAt(url: string, timeoutMs = 1000): Promise<number | undefined> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL('/healthz', url);
    } catch {
      resolve(undefined);
      return;
    }
    const req = http.get(target, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** Each application with a pid file: its pid (if running), its address and whether it is healthy. */
export async function appStatus(home: string): Promise<AppStatus[]> {
  return Promise.all(
    appPidFiles(home).map(async (pidFile) => {
      const name = path.basename(pidFile, '.pid');
      const pid = runningPid(pidFile);
      const urlFile = path.join(path.dirname(pidFile), `${name}.url`);
      const url = fs.existsSync(urlFile) ? fs.readFileSync(urlFile, 'utf8').trim() : undefined;
      const healthy = pid !== undefined && url !== undefined && (await healthzAt(url)) === 200;
      return { name, pid, ...(url === undefined ? {} : { url }), healthy };
    }),
  );
}
