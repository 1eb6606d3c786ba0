/**
 * Cost per request of authenticating the caller (issue 14), side by side in one run: the same
 * gateway app (the real middleware chain, fake chaincode clients answering at once, so only the
 * HTTP gateway's own work is measured) served three ways, requests interleaved round by round:
 *   none    — no authentication (the gateway before issue 14),
 *   jwt     — Authorization: Bearer <ES256 JWT> verified with jose, caller's identity looked up,
 *   apikey  — X-API-Key checked against its SHA-256.
 * Prints p50/p90 per variant and the p50 each adds over `none`. Usage: npm run bench:auth
 */
import * as fs from 'node:fs';
import { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Gateway } from '@hyperledger/fabric-gateway';
import {
  ApiKeyAuthenticator,
  authenticate,
  CallerClients,
  ChaincodeRecordsService,
  createApiKey,
  createApp,
  DEV_AUDIENCE,
  DEV_ISSUER,
  ensureDevIssuer,
  FileWallet,
  IdentityPool,
  JwtAuthenticator,
  mintDevToken,
  readApiKeyFile,
  type ChaincodeClient,
  type IdentityClients,
} from '@govfabric/gateway';
import pino from 'pino';
import { log, percentile } from './support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 50);

/** Clients that answer at once (no Fabric): what is left is the gateway's own work. */
function instantClients(): IdentityClients {
  const chaincode: ChaincodeClient = {
    evaluate: async () => ({ mspId: 'EducationMSP', id: 'x509::CN=bench' }),
    submit: async () => ({ result: {}, transactionId: 'a'.repeat(64), blockNumber: 1 }),
  };
  return { chaincode };
}

async function listen(app: ReturnType<typeof createApp>): Promise<{ url: string; server: Server }> {
  const server = new Server(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function main(): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-auth-'));
  const silent = pino({ level: 'silent' });
  const wallet = new FileWallet(path.join(home, 'wallet'), 'bench wallet passphrase');
  const fakeIdentity = { mspId: 'EducationMSP', certificate: '', privateKey: '' };
  await wallet.put('officer1', fakeIdentity);
  await wallet.put('system-bench', fakeIdentity);
  const pool = new IdentityPool<IdentityClients>(
    wallet,
    undefined,
    () => ({ close: () => undefined }) as unknown as Gateway,
    () => instantClients(),
    silent,
  );
  const callers = new CallerClients(pool, instantClients());
  const keyFile = path.join(home, 'keys.json');
  const apiKey = createApiKey(keyFile, 'bench');
  const token = await mintDevToken(home, { sub: 'officer1' });
  const plain = instantClients();
  const none = await listen(
    createApp({
      records: new ChaincodeRecordsService(plain.chaincode),
      chaincode: { user: plain.chaincode },
      logger: silent,
    }),
  );
  const authed = await listen(
    createApp({
      records: callers.records(),
      chaincode: callers.clients(),
      logger: silent,
      authenticate: authenticate({
        jwt: new JwtAuthenticator({
          issuer: DEV_ISSUER,
          audience: DEV_AUDIENCE,
          jwks: ensureDevIssuer(home).jwksPath,
        }),
        apiKeys: new ApiKeyAuthenticator(readApiKeyFile(keyFile)),
      }),
    }),
  );
  const variants: [string, string, Record<string, string>][] = [
    ['none', none.url, {}],
    ['jwt', authed.url, { authorization: `Bearer ${token}` }],
    ['apikey', authed.url, { 'x-api-key': apiKey }],
  ];
  const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  const once = async (url: string, headers: Record<string, string>): Promise<number> => {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${url}/api/v1/records/r-1`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  // warm-up: first-use identity loads, JIT, connections
  for (const [, url, headers] of variants) for (let i = 0; i < 50; i++) await once(url, headers);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, url, headers] of variants) {
      for (let i = 0; i < PER_ROUND; i++) times.get(name)!.push(await once(url, headers));
    }
  }
  const stats = variants.map(([name]) => {
    const sorted = [...times.get(name)!].sort((a, b) => a - b);
    return { name, n: sorted.length, p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
  });
  const base = stats[0].p50;
  log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  log(
    `GET /api/v1/records/:id, sequential keep-alive requests, ${ROUNDS} rounds × ${PER_ROUND} per variant, interleaved`,
  );
  for (const s of stats) {
    log(
      `${s.name.padEnd(7)} n=${s.n} p50 ${s.p50.toFixed(3)} ms  p90 ${s.p90.toFixed(3)} ms  ` +
        `p50 added ${(s.p50 - base).toFixed(3)} ms  ratio ${(s.p50 / base).toFixed(2)}`,
    );
  }
  none.server.close();
  authed.server.close();
  await pool.close();
  fs.rmSync(home, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
