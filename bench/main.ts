/**
 * `npm run bench` (scripts/bench.mjs bundles and runs this): the performance goals, each a ratio against a reference
 * measured in the same run. Exit code 1 when a goal is missed (or a benchmark cannot run), else 0.
 *
 *   npm run bench [-- --quick] [--only 1,2,5] [--keep]
 *
 * --quick: a tenth of the sizes. --only: run those benchmarks (2-4 need the import of 1, which then runs unjudged
 * when 1 is not asked for). --keep: leave the temp dir (bundle, cases) in place and print its path.
 * All data is generated in a temp dir, removed at the end; documentation domains and addresses only.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeBundle, DOMAINS } from './gen-data';
import { importThroughput } from './import-throughput';
import { logMentionsBench } from './log-mentions';
import { huntThroughputBench } from './hunt-throughput';
import { fmtMs, nowMs } from './measure';
import { processIdentityBench } from './process-identity';
import { judge, printOutcome, printSummary, type BenchResult, type Outcome } from './report';
import { timelineDensityBench } from './timeline-density';
import { windowedReads } from './windowed-reads';

interface Options {
  quick: boolean;
  keep: boolean;
  only: Set<string> | null;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, keep: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') o.quick = true;
    else if (a === '--keep') o.keep = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v || !/^[1-6](,[1-6])*$/.test(v))
        throw new Error('--only takes benchmark numbers 1-6, comma-separated (e.g. --only 2,3)');
      o.only = new Set(v.split(','));
    } else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench [-- --quick] [--only 1,2,5] [--keep]');
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  return o;
}

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${(e as Error).message}`);
    return 2;
  }
  const want = (n: string) => !opts.only || opts.only.has(n);
  const sizes = opts.quick
    ? { calls: 50_000, processes: 5_000, logLines: 100_000, identity: 10_000, huntCases: 60 }
    : { calls: 500_000, processes: 50_000, logLines: 1_000_000, identity: 100_000, huntCases: 200 };
  const label = `${sizes.calls / 1000}k calls, ${sizes.processes / 1000}k processes, ${sizes.logLines >= 1e6 ? `${sizes.logLines / 1e6}M` : `${sizes.logLines / 1000}k`}-line log`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runlens-bench-'));
  const started = nowMs();
  const outcomes: Outcome[] = [];
  const errors: { id: string; message: string }[] = [];
  const report = (r: BenchResult) => {
    const o = judge(r);
    outcomes.push(o);
    printOutcome(o);
  };
  const attempt = async (id: string, fn: () => Promise<void> | void) => {
    try {
      await fn();
    } catch (e) {
      const message = (e as Error).message.split('\n')[0]!;
      errors.push({ id, message });
      console.log(`\n[${id}] ERROR: ${message}`);
    }
  };

  console.log(
    `Runlens benchmarks${opts.quick ? ' (--quick)' : ''}: node ${process.version}, ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log(`temp dir ${dir}`);
  try {
    const needCase = want('1') || want('2') || want('3') || want('4');
    let casePath: string | null = null;
    if (needCase) {
      let t = nowMs();
      const bundle = writeBundle(path.join(dir, 'bundle'), sizes);
      console.log(`generated bundle (${label}, ${(bundle.bytes / 1048576).toFixed(0)} MiB) in ${fmtMs(nowMs() - t)}`);
      t = nowMs();
      await attempt('1', async () => {
        const { result, run } = await importThroughput(bundle, path.join(dir, 'case.runlens'), label);
        casePath = run.casePath;
        if (want('1')) report(result);
        else console.log(`imported the bundle in ${fmtMs(nowMs() - t)} (benchmark 1 not judged: --only)`);
      });
      if (casePath) {
        const cp: string = casePath;
        if (want('2')) await attempt('2', async () => (await windowedReads(cp, opts.quick)).forEach(report));
        if (want('3')) await attempt('3', async () => (await timelineDensityBench(cp, opts.quick)).forEach(report));
        if (want('4')) {
          await attempt('4', () =>
            logMentionsBench(cp, opts.quick, [
              {
                id: '4a',
                label: 'rare domain (the finding)',
                domain: DOMAINS.exfil[0],
                ip: DOMAINS.exfil[1],
                expected: bundle.exfilMentions,
              },
              { id: '4b', label: 'common domain', domain: DOMAINS.allowed[3]![0], ip: DOMAINS.allowed[3]![1] },
            ]).forEach(report),
          );
        }
      } else {
        for (const id of ['2', '3', '4'])
          if (want(id)) errors.push({ id, message: 'not run: the import (benchmark 1) failed' });
      }
    }
    if (want('5')) await attempt('5', () => report(processIdentityBench(dir, sizes.identity, 2)));
    if (want('6')) await attempt('6', async () => (await huntThroughputBench(dir, sizes.huntCases, opts.quick ? 3 : 5)).forEach(report));
  } finally {
    if (opts.keep) console.log(`\nkept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
  printSummary(outcomes, errors);
  console.log(`total ${fmtMs(nowMs() - started)}`);
  return outcomes.some((o) => !o.pass) || errors.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`bench: ${(e as Error)?.message ?? String(e)}`);
    process.exit(1);
  },
);
