#!/usr/bin/env node
// `npm test`: install what is missing, build, type-check the tests, check devnet's layering, run the unit tests, then the integration and
// conformance tests (which start and stop their own devnet). Ends with one summary line.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const extra = process.argv.slice(2);

function sh(title, command, args) {
  console.log(`\n== ${title}`);
  const result = spawnSync(command, args, { cwd: repo, stdio: 'inherit' });
  return result.status === 0;
}

function needsInstall() {
  const marker = path.join(repo, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(marker)) return true;
  return fs.statSync(path.join(repo, 'package-lock.json')).mtimeMs > fs.statSync(marker).mtimeMs;
}

function jest(project, args) {
  const out = path.join(os.tmpdir(), `govfabric-jest-${project}-${process.pid}.json`);
  const ok = sh(`${project} tests`, process.execPath, [
    require.resolve('jest/bin/jest'),
    '--selectProjects',
    project,
    '--json',
    `--outputFile=${out}`,
    ...args,
    ...extra,
  ]);
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
const unit = jest('unit', []);
const integration = unit.ok ? jest('integration', ['--runInBand']) : { ok: false, passed: 0, failed: 0 };
const passed = unit.passed + integration.passed;
const failed = unit.failed + integration.failed;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(unit.ok && integration.ok ? 0 : 1);
