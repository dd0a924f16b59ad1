// `npm run electronegativity`: Doyensec's Electronegativity over the desktop code (electron/), run through its
// library (its command-line front end does not read its options with the commander version installed). Prints one
// line per finding; exits 1 when a finding above LOW is neither fixed nor justified below. Run by
// test/integration/electronegativity.test.ts. The check that downloads Electron's release list is left out: the
// project makes no outbound request, in tests neither.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

/**
 * Findings above LOW that are false positives, each with the reason and the test that proves the real setting.
 * Key: `<check id> <file relative to electron/>`.
 */
export const JUSTIFIED = {
  // The window's options come from mainWindowOptions() (window-options.ts), which the checker cannot follow from
  // `new BrowserWindow(mainWindowOptions(…))`; test/unit/electron-window-options.test.ts asserts each value.
  'NODE_INTEGRATION_JS_CHECK main/app-main.ts': 'nodeIntegration false (+ InWorker, InSubFrames): window-options.ts, electron-window-options.test.ts',
  'CONTEXT_ISOLATION_JS_CHECK main/app-main.ts': 'contextIsolation true: window-options.ts, electron-window-options.test.ts',
  'SANDBOX_JS_CHECK main/app-main.ts': 'sandbox true and app.enableSandbox(): window-options.ts, app-main.ts, electron-window-options.test.ts',
  'REMOTE_MODULE_JS_CHECK main/app-main.ts': 'the remote module does not exist in Electron ≥ 14 (this app: 45)',
  'AUXCLICK_JS_CHECK main/app-main.ts': 'every navigation and window.open is denied (hardening.ts: will-navigate, setWindowOpenHandler), electron-hardening.test.ts',
  // The CSP is a response header of the runlens:// protocol (app-protocol.ts), not a <meta> or a webRequest hook the
  // checker knows; test/unit/electron-protocol.test.ts asserts it on every response.
  'CSP_GLOBAL_CHECK N/A': "strict CSP sent by the app protocol (app-protocol.ts), electron-protocol.test.ts",
};

export async function scan(input = path.join(ROOT, 'electron')) {
  const run = require('@doyensec/electronegativity/dist/runner.js');
  const quiet = console.log;
  console.log = () => {};
  let r;
  try {
    r = await run(
      {
        input,
        isRelative: true,
        isVerbose: false,
        electronVersionOverride: '45.0.0',
        customScan: [],
        excludeFromScan: ['availablesecurityfixesglobalcheck'],
        parserPlugins: [],
      },
      false,
    );
  } finally {
    console.log = quiet;
  }
  return r.issues.map((i) => ({
    id: i.id,
    severity: i.severity?.name ?? String(i.severity),
    confidence: i.confidence?.name ?? String(i.confidence),
    file: i.file,
    line: i.location?.line ?? 0,
    description: i.description,
  }));
}

const ABOVE_LOW = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);

export function unjustified(findings) {
  return findings.filter((f) => ABOVE_LOW.has(f.severity) && !JUSTIFIED[`${f.id} ${f.file}`]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const findings = await scan();
  const bad = unjustified(findings);
  for (const f of findings) {
    const why = JUSTIFIED[`${f.id} ${f.file}`];
    console.log(`${f.severity.padEnd(13)} ${f.id} ${f.file}:${f.line}${why ? ` — justified: ${why}` : ''}`);
  }
  console.log(`${findings.length} findings, ${bad.length} above LOW neither fixed nor justified`);
  process.exit(bad.length ? 1 : 0);
}
