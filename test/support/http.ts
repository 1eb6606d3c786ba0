/* eslint-disable @typescript-eslint/no-explicit-any -- tests read fields of arbitrary JSON answers */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mintDevToken } from '../../gateway/src/auth/devissuer';
import { REPO, TEST_GATEWAY_PORT, testNetwork } from './devnet';

const tokens = new Map<string, Promise<string>>();

/**
 * A bearer token from the devnet's local issuer for `officer` (default User1, whom every gateway
 * has in its wallet and the seed made an issuer of its ministry's domain); minted once per officer.
 */
export function officerToken(officer = 'User1'): Promise<string> {
  let token = tokens.get(officer);
  if (!token) {
    token = mintDevToken(testNetwork().home, { sub: officer });
    tokens.set(officer, token);
  }
  return token;
}

/** A running HTTP gateway process of the tests. */
export interface HttpGateway {
  url: string;
  stop(): Promise<void>;
}

/** Starts the real HTTP gateway (gateway/dist/server.js) for a ministry's profile (`env` added) and waits until it is healthy. */
export async function startHttpGateway(
  home: string,
  mspId: string,
  port = TEST_GATEWAY_PORT,
  env: NodeJS.ProcessEnv = {},
): Promise<HttpGateway> {
  const log = fs.openSync(path.join(home, `gateway-${mspId}.log`), 'a');
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO, 'gateway', 'dist', 'server.js')], {
    env: {
      ...process.env,
      GATEWAY_PORT: String(port),
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PROFILE: path.join(home, 'profiles', `${mspId}.json`),
      // Every success answer the suites get is checked against the OpenAPI document's schema.
      GATEWAY_CHECK_RESPONSES: 'true',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  // Generous: on a loaded 2-core machine with suites side by side (test/batches.js) a start took over 30 s.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`gateway exited with ${child.exitCode}; see ${home}/gateway-${mspId}.log`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      // Not left running on the test's port: the next start (or suite) would find it there.
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      throw new Error(`gateway not healthy after 90 s (killed); see ${home}/gateway-${mspId}.log`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A JSON request: the status and the parsed body. */
export async function httpJson(
  url: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${init.token ?? (await officerToken())}`,
  };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text.length > 0 ? JSON.parse(text) : undefined };
}

/** Polls `url` (as the default officer) until it answers `status` (the event), failing after `timeoutMs`; the parsed body. */
export async function untilStatus(url: string, status: number, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${await officerToken()}` } });
    const text = await res.text();
    if (res.status === status) return text ? JSON.parse(text) : undefined;
    if (Date.now() > deadline)
      throw new Error(`${url} still answers ${res.status} after ${timeoutMs} ms: ${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
