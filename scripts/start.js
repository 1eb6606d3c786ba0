#!/usr/bin/env node
// `npm start`: install what is missing, build, bring the devnet up, deploy the chaincode, start the
// HTTP gateway in the background, and print what to try next. Plain Node, no dependencies: it runs
// before anything is installed.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const home = path.resolve(process.env.DEVNET_HOME || path.join(repo, '.devnet'));
const gatewayPort = Number(process.env.GATEWAY_PORT || 3000);
const started = Date.now();

function run(title, command, args, opts = {}) {
  if (title) process.stdout.write(`${title} ...\n`);
  const t0 = Date.now();
  const result = spawnSync(command, args, {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, DEVNET_HOME: home },
    ...opts,
  });
  if (result.status !== 0) {
    console.error(`\n${title || command} failed (exit ${result.status}). See the output above.`);
    process.exit(result.status || 1);
  }
  if (title) process.stdout.write(`${title}: done (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}

function needsInstall() {
  const marker = path.join(repo, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(marker)) return true;
  return fs.statSync(path.join(repo, 'package-lock.json')).mtimeMs > fs.statSync(marker).mtimeMs;
}

async function waitForGateway(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${gatewayPort}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `the gateway did not become healthy on port ${gatewayPort} (log: ${path.join(home, 'apps', 'gateway.log')})`,
  );
}

/**
 * The bearer token of the gateway's admin routes: GATEWAY_ADMIN_TOKEN, else one generated once per
 * runtime directory and kept (owner-only) in .devnet/apps/admin-token.
 */
function adminToken() {
  if (process.env.GATEWAY_ADMIN_TOKEN) return process.env.GATEWAY_ADMIN_TOKEN;
  const file = path.join(home, 'apps', 'admin-token');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, require('node:crypto').randomBytes(24).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

function startGateway() {
  const { spawn } = require('node:child_process');
  const apps = path.join(home, 'apps');
  fs.mkdirSync(apps, { recursive: true });
  const pidFile = path.join(apps, 'gateway.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const out = fs.openSync(path.join(apps, 'gateway.log'), 'a');
  const child = spawn(process.execPath, [path.join(repo, 'gateway', 'dist', 'server.js')], {
    cwd: repo,
    env: {
      ...process.env,
      DEVNET_HOME: home,
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_ADMIN_TOKEN: adminToken(),
    },
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.writeFileSync(pidFile, `${child.pid}\n`);
  // Where it serves, for `npm run network:status` (devnet/src/node/apps.ts).
  fs.writeFileSync(path.join(apps, 'gateway.url'), `http://127.0.0.1:${gatewayPort}\n`);
  child.unref();
}

async function main() {
  if (needsInstall()) run('Installing dependencies (npm ci)', 'npm', ['ci', '--no-audit', '--no-fund']);
  run('Building (tsc -b)', 'npm', ['run', '--silent', 'build']);
  run('', process.execPath, ['devnet/dist/node/cli.js', 'start']);
  run('Registering the ministries, demo schemas and issuer roles (idempotent)', process.execPath, [
    'gateway/dist/bootstrap.js',
  ]);
  process.stdout.write('Starting the HTTP gateway ... ');
  startGateway();
  await waitForGateway(30000);
  process.stdout.write('done\n');
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  // A fresh record id each run: the ledger keeps the last run's record, and an id is registered once.
  const demoId = `RP-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  console.log(`
govfabric is ready (${secs} s): channel egov, chaincode egov, ministries from network-config/ministries.yaml.
Gateway: http://127.0.0.1:${gatewayPort}   Runtime directory: ${path.relative(repo, home) || home}
Verification page (public, no login): http://127.0.0.1:${gatewayPort}/verify/

Every route but the probes and record verification needs the caller's credentials. A bearer token
for the demo officer User1 of ImmigrationMSP (signed by devnet's local issuer; User1 holds the issuer
role; any other name is enrolled at the ministry's CA on first use and needs its roles granted):
  export TOKEN=$(npm run --silent token -- User1)
A system's API key (sent as X-API-Key; only its hash is kept): npm run --silent apikey -- ImmigrationMSP my-system

Try (a residence permit issued by Immigration; personal fields travel in the transient map):
  curl -s -X POST 'http://127.0.0.1:${gatewayPort}/api/v1/records?include=qr' -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"id":"${demoId}","category":"G2C","recordType":"immigration.residence-permit","subjectRef":"psn:3f9a1c27b84e5d06","payload":{"permitNo":"RP-7Q4K-9X2M-55TB","permitType":"work","nationality":"PRT","validFrom":"2025-01-01","validUntil":"2027-12-31"},"personal":{"fullName":"Amina Okafor","birthDate":"1990-05-17"}}'
  curl -s http://127.0.0.1:${gatewayPort}/api/v1/records/verify/<hash from the answer above>
The answer's "document" is the holder's file (save it as JSON and drop it on the verification page)
and "verifyUrl" the link its QR code ("qr": SVG and PNG) opens.
  curl -s -H "authorization: Bearer $TOKEN" http://127.0.0.1:${gatewayPort}/api/v1/records/${demoId}/personal

${process.env.GATEWAY_ADMIN_TOKEN ? 'Admin routes: Authorization: Bearer $GATEWAY_ADMIN_TOKEN' : `Admin routes: Authorization: Bearer $(cat ${path.relative(repo, path.join(home, 'apps', 'admin-token'))})`}

  npm run network:status    each process and its health (the gateway too)
  npm run network:down      stop everything npm start started
  npm run network:clean     stop and remove all state
The README has the peer CLI lines.`);
}

main().catch((err) => {
  console.error(`npm start failed: ${err.message}`);
  process.exit(1);
});
