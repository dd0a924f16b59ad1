// `npm test`: build, type-check, lint, vitest (unit + integration), Playwright (e2e in Debian's Chromium against
// `runlens serve`). Ends with one line `N passed, N failed, N skipped` totalling every suite (type-check and lint
// count as one check each). Exit code 1 when anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'test-results');
mkdirSync(out, { recursive: true });
const args = new Set(process.argv.slice(2));
const only = (name) => args.size === 0 || args.has(name);

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];

function run(label, cmd, cmdArgs, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function check(label, cmd, cmdArgs) {
  const code = run(label, cmd, cmdArgs);
  if (code === 0) passed++;
  else failed++;
  lines.push(`${label}: ${code === 0 ? 'passed' : 'FAILED'}`);
}

if (run('build', 'node', ['scripts/build.mjs']) !== 0) {
  console.log('\nbuild failed: nothing else can run');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (only('typecheck')) check('typecheck', 'node', ['scripts/typecheck.mjs']); // the whole project + each environment
if (only('lint')) check('lint', 'npx', ['eslint', '.', '--max-warnings=-1']);

if (only('unit')) {
  const report = path.join(out, 'vitest.json');
  rmSync(report, { force: true });
  const code = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (existsSync(report)) {
    const j = JSON.parse(readFileSync(report, 'utf8'));
    // a file that failed to load has no failed assertions of its own: count it as one failure
    const brokenFiles = (j.testResults ?? []).filter(
      (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
    ).length;
    passed += j.numPassedTests;
    failed += j.numFailedTests + brokenFiles;
    skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
    lines.push(`vitest: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${brokenFiles} files failed to run, ${j.numPendingTests} skipped`);
    if (code !== 0 && j.numFailedTests + brokenFiles === 0) failed++;
  } else {
    failed++;
    lines.push('vitest: no report (crashed)');
  }
}

if (only('e2e')) {
  const report = path.join(out, 'playwright.json');
  rmSync(report, { force: true });
  const code = run('playwright', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  if (existsSync(report)) {
    const s = JSON.parse(readFileSync(report, 'utf8')).stats ?? {};
    passed += (s.expected ?? 0) + (s.flaky ?? 0);
    failed += s.unexpected ?? 0;
    skipped += s.skipped ?? 0;
    lines.push(`playwright: ${s.expected ?? 0} passed, ${s.unexpected ?? 0} failed, ${s.flaky ?? 0} flaky, ${s.skipped ?? 0} skipped`);
    if (code !== 0 && !(s.unexpected > 0)) failed++;
  } else {
    failed++;
    lines.push('playwright: no report (crashed)');
  }
}

console.log('\n=== summary');
for (const l of lines) console.log(l);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
