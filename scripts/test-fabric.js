#!/usr/bin/env node
// `npm run test:fabric`: the integration and conformance suites against a real Fabric network of
// Fabric's release binaries (FABRIC_BIN): fabric-samples-scripts/native.sh brings up 3 Raft
// orderers and one peer per ministry in network namespaces, deploys egov and the conformance
// chaincode, the suites run with GOVFABRIC_FABRIC_NETWORK, and the network goes down again.
// Without FABRIC_BIN it says so and exits 0. `npm test` stays devnet-only.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const native = path.join(repo, 'fabric-samples-scripts', 'native.sh');

if (!process.env.FABRIC_BIN) {
  console.log(
    'test:fabric: SKIPPED: FABRIC_BIN is not set. Point it at the bin/ folder of a Fabric 2.5 or 3.x release ' +
      '(with ../config and ../builders/ccaas beside it, as in the release tarball) and run as root ' +
      '(network namespaces) to run the integration and conformance suites on a real 3-orderer Raft network.',
  );
  process.exit(0);
}

const offset = Number(process.env.GOVFABRIC_TEST_PORT_OFFSET ?? 10000);
const home = process.env.GOVFABRIC_FABRIC_HOME ?? fs.mkdtempSync(path.join(os.tmpdir(), 'govfabric-fabric-'));
// Own namespace prefix and subnet, so that an operator's `native.sh up` network is never touched.
const env = {
  ...process.env,
  GOVFABRIC_FABRIC_HOME: home,
  GOVFABRIC_NETNS_PREFIX: process.env.GOVFABRIC_NETNS_PREFIX ?? 'gft',
  GOVFABRIC_FABRIC_SUBNET: process.env.GOVFABRIC_FABRIC_SUBNET ?? '10.118.0',
  // 3000 + offset is the port of the gateway the suites start themselves (test/support/http.ts).
  GATEWAY_PORT: process.env.GATEWAY_PORT ?? String(3100 + offset),
};

function sh(title, command, args, extraEnv = {}) {
  console.log(`\n== ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: repo, stdio: 'inherit', env: { ...env, ...extraEnv } });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`== ${title}: ${result.status === 0 ? 'done' : 'FAILED'} in ${seconds} s`);
  return { ok: result.status === 0, seconds };
}

// The conformance chaincode's endorsement policy, as test/globalSetup.ts deploys it on devnet.
const conformancePolicy = JSON.parse(
  fs.readFileSync(path.join(repo, 'test', 'fixtures', 'conformance-cc', 'deploy.json'), 'utf8'),
).signaturePolicy;

let ok = false;
const times = {};
let counts = 'no tests ran';
try {
  if (!sh('Building (tsc -b)', 'npm', ['run', '--silent', 'build']).ok) process.exitCode = 1;
  else {
    const up = sh('native.sh up', 'bash', [native, 'up']);
    times.up = up.seconds;
    const deployed =
      up.ok &&
      sh('native.sh deploy conformance', 'bash', [
        native,
        'deploy',
        'conformance',
        path.join(repo, 'test', 'fixtures', 'conformance-cc'),
        '9998',
        '',
        conformancePolicy,
      ]).ok;
    if (deployed) {
      const out = path.join(os.tmpdir(), `govfabric-test-fabric-${process.pid}.json`);
      const suites = sh(
        'integration + conformance suites on the Fabric network',
        process.execPath,
        [
          require.resolve('jest/bin/jest'),
          '--selectProjects',
          'integration',
          '--runInBand',
          '--json',
          `--outputFile=${out}`,
          ...process.argv.slice(2),
        ],
        {
          GOVFABRIC_FABRIC_NETWORK: path.join(home, 'network.json'),
          GOVFABRIC_FABRIC_CONTROL: native,
        },
      );
      times.suites = suites.seconds;
      if (fs.existsSync(out)) {
        const r = JSON.parse(fs.readFileSync(out, 'utf8'));
        counts = `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`;
        fs.rmSync(out, { force: true });
      }
      ok = suites.ok;
    }
  }
} finally {
  const down = sh('native.sh down', 'bash', [native, 'down']);
  times.down = down.seconds;
  if (!down.ok) ok = false;
  if (!process.env.GOVFABRIC_FABRIC_HOME && ok) fs.rmSync(home, { recursive: true, force: true });
  else console.log(`logs kept in ${path.join(home, 'logs')}`);
}
console.log(
  `\ntest:fabric: ${counts}; up ${times.up ?? '-'} s, suites ${times.suites ?? '-'} s, down ${times.down ?? '-'} s`,
);
process.exit(ok ? 0 : 1);
