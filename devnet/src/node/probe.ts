import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import { sleep } from './processes';

/** GETs `http://127.0.0.1:<port>/healthz`; resolves with the status code, or undefined if unreachable. */
export function healthz(port: number, timeoutMs = 1000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** True if something accepts TCP connections on 127.0.0.1:<port>. */
export function portOpen(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * True once a gRPC server at `address` accepts a connection within `timeoutMs`: with `rootCertPem`, a
 * TLS handshake trusting it and expecting the certificate name `serverName`; without, plaintext. A
 * listening socket alone is not yet a server a peer can dial in time on a loaded machine.
 */
export function grpcReady(
  address: string,
  rootCertPem: Buffer | undefined,
  serverName: string,
  timeoutMs = 5000,
): Promise<boolean> {
  const client =
    rootCertPem === undefined
      ? new grpc.Client(address, grpc.credentials.createInsecure())
      : new grpc.Client(address, grpc.credentials.createSsl(rootCertPem), {
          'grpc.ssl_target_name_override': serverName,
        });
  return new Promise((resolve) => {
    client.waitForReady(Date.now() + timeoutMs, (err) => {
      client.close();
      resolve(err === undefined || err === null);
    });
  });
}

/**
 * Polls `check` until it returns true or `timeoutMs` passes; `isDead` lets a caller stop waiting
 * for a process that has already exited.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  isDead?: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (isDead?.()) throw new Error(`${what}: the process exited`);
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/**
 * True if this network's CA answers Fabric CA's `cainfo` on its port: TLS verified with its TLS CA and
 * the expected CA name (so another network's process on the same port never passes for it).
 */
export function caHealthy(
  ca: { port: number; caName: string; tls: { caCertPath: string } },
  timeoutMs = 2000,
): Promise<boolean> {
  return new Promise((resolve) => {
    let trusted: Buffer;
    try {
      trusted = fs.readFileSync(ca.tls.caCertPath);
    } catch {
      resolve(false);
      return;
    }
    const req = https.get(
      {
        host: '127.0.0.1',
        port: ca.port,
        path: '/api/v1/cainfo',
        servername: 'localhost',
        ca: trusted,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
              result?: { CAName?: string };
            };
            resolve(res.statusCode === 200 && body.result?.CAName === ca.caName);
          } catch {
            resolve(false);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
