#!/usr/bin/env node
// `npm test`: install what is missing, build, type-check the tests, check devnet's layering, run the unit tests, then the integration and
// conformance tests on one devnet (side by side, then one at a time: test/batches.js). Ends with one summary line.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { SECOND, ALONE, pattern } = require('../test/batches');

const repo = path.resolve(__dirname, '..');
const extra = process.argv.slice(2);

function needsInstall() {
  const marker = path.join(repo, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(marker)) return true;
  return fs.statSync(path.join(repo, 'package-lock.json')).mtimeMs > fs.statSync(marker).mtimeMs;
}

function sh(title, command, args, env = process.env) {
  console.log(`\n== ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: repo, stdio: 'inherit', env });
  console.log(
    `== ${title}: ${result.status === 0 ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  return result.status === 0;
}

function jest(title, project, args, env) {
  const out = path.join(os.tmpdir(), `govfabric-jest-${project}-${process.pid}-${Date.now()}.json`);
  const ok = sh(
    title,
    process.execPath,
    [require.resolve('jest/bin/jest'), '--selectProjects', project, '--json', `--outputFile=${out}`, ...args],
    env,
  );
  let counts = { passed: 0, failed: ok ? 0 : 1 };
  if (fs.existsSync(out)) {
    const r = JSON.parse(fs.readFileSync(out, 'utf8'));
    counts = { passed: r.numPassedTests, failed: r.numFailedTests + (r.numRuntimeErrorTestSuites || 0) };
    fs.rmSync(out, { force: true });
  }
  return { ok, ...counts };
}

/**
 * The browser tests (test/integration/verify-page.test.ts) drive Debian's Chromium. When it is
 * missing and this runs as root, install it (with a Khmer font for the page's Khmer catalogue);
 * otherwise say how, and let the browser suite fail with the same advice.
 */
function ensureChromium() {
  const paths = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  if (paths.some((p) => p && fs.existsSync(p))) return;
  if (process.platform === 'linux' && process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const apt = (args) => spawnSync('apt-get', args, { cwd: repo, stdio: 'inherit', env }).status === 0;
    console.log('\n== Installing Chromium for the browser tests (apt-get install chromium fonts-khmeros)');
    if (apt(['update']) && apt(['install', '-y', '--no-install-recommends', 'chromium', 'fonts-khmeros']))
      return;
  }
  console.log(
    '\n== Chromium is missing: the browser tests will fail. Install it with `sudo apt-get install chromium` ' +
      '(Debian/Ubuntu; `npm test` does it itself when run as root), or set CHROMIUM_PATH.',
  );
}

if (needsInstall() && !sh('Installing dependencies (npm ci)', 'npm', ['ci', '--no-audit', '--no-fund']))
  process.exit(1);
ensureChromium();
if (!sh('Building (tsc -b)', 'npm', ['run', '--silent', 'build'])) process.exit(1);
// ts-jest only transpiles (isolatedModules): the tests' types are checked here, once, over the whole tree.
if (!sh('Type-checking sources and tests (tsconfig.typecheck.json)', 'npm', ['run', '--silent', 'typecheck']))
  process.exit(1);
if (!sh("Checking devnet's layering (devnet/DESIGN.md)", 'npm', ['run', '--silent', 'lint:layers']))
  process.exit(1);
/**
 * The integration and conformance suites on one devnet, in the batches of test/batches.js: the first
 * and SECOND side by side in INTEGRATION_WORKERS jest workers (default 2: the suites mostly wait on
 * blocks and processes, but a loaded 2-core machine has little CPU to spare), then ALONE one at a time. With arguments (a path pattern, ...)
 * everything they select runs one at a time, as `npx jest --selectProjects integration --runInBand`.
 */
function integrationTests() {
  if (extra.length > 0) return jest('integration tests', 'integration', ['--runInBand', ...extra]);
  const second = pattern(Object.keys(SECOND));
  const alone = pattern(Object.keys(ALONE));
  const workers = process.env.INTEGRATION_WORKERS ?? '2';
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'govfabric-it-'));
  // globalSetup starts the devnet in `home` in the first run and finds it there in the next ones.
  const env = { ...process.env, GOVFABRIC_TEST_DEVNET_HOME: home };
  const runs = [
    ['side by side', [`--maxWorkers=${workers}`, `--testPathIgnorePatterns=${second}|${alone}`]],
    ['side by side, second batch', [`--maxWorkers=${workers}`, second]],
    ['one at a time', ['--runInBand', alone]],
  ];
  const total = { ok: true, passed: 0, failed: 0 };
  try {
    for (const [title, args] of runs) {
      const r = jest(`integration tests ${title} (test/batches.js)`, 'integration', args, env);
      total.ok &&= r.ok;
      total.passed += r.passed;
      total.failed += r.failed;
    }
    return total;
  } finally {
    if (fs.existsSync(path.join(home, 'network.json')))
      spawnSync(process.execPath, [path.join(repo, 'devnet', 'dist', 'node', 'cli.js'), 'down'], {
        cwd: repo,
        stdio: 'inherit',
        env: { ...process.env, DEVNET_HOME: home, DEVNET_MINISTRIES: path.join(home, 'ministries.yaml') },
      });
    if (process.env.KEEP_DEVNET === '1') console.log(`devnet runtime directory kept: ${home}`);
    else fs.rmSync(home, { recursive: true, force: true });
  }
}

// Jest's default on a 2-core machine is one worker (cores - 1), which leaves a core idle on a quiet machine.
const unit = jest('unit tests', 'unit', [`--maxWorkers=${process.env.UNIT_WORKERS ?? '2'}`, ...extra]);
const integration = unit.ok ? integrationTests() : { ok: false, passed: 0, failed: 0 };
const passed = unit.passed + integration.passed;
const failed = unit.failed + integration.failed;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(unit.ok && integration.ok ? 0 : 1);
