/**
 * `manifest.json` (bundle v1): run metadata, egress policy and steps (origin 'manifest'). The document is small:
 * it is read whole (capped at 16 MiB). Each step keeps its own line and raw text.
 */
import type { RunInfo, StepRecord } from '../../../shared/model';
import type { Importer, RecordSink } from '../types';
import { baseName, Fields, headText, isObj, readSmallText, SNIFF_CONTENT, SNIFF_NAME_BONUS, SNIFF_NAME_ONLY, typeName } from '../kit';
import { arrayElementSpans, jsonErrorOffset, linesOf, topLevelValueStart } from './json-positions';

export const MANIFEST_MAX_BYTES = 16 * 1024 * 1024;

/** The line of a JSON syntax error (JSON.parse does not always give a position). */
export function jsonErrorLine(text: string, err: Error): number | null {
  const m = /position (\d+)/.exec(err.message);
  const at = m ? Number(m[1]) : jsonErrorOffset(text);
  return at < 0 ? null : linesOf(text, [at])[0]!;
}

/** Extra fields are kept as given, but stored as JSON: a value nested too deeply for JSON.stringify is not storable. */
function storable(v: unknown): boolean {
  try {
    JSON.stringify(v);
    return true;
  } catch {
    return false;
  }
}

/** The object's string, number and boolean fields only. */
function flat(o: Record<string, unknown>): RunInfo {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))) as RunInfo;
}

function storableProducer(p: unknown, sink: RecordSink, line: number | null): RunInfo['producer'] | undefined {
  if (!isObj(p)) return undefined;
  if (storable(p)) return p as RunInfo['producer'];
  sink.warn(line, 'producer: a value is nested too deeply to store; only its plain fields are kept');
  return flat(p) as RunInfo['producer'];
}

export const bundleManifestImporter: Importer = {
  format: 'bundle-manifest',
  sniff(file) {
    const named = baseName(file.relPath) === 'manifest.json';
    const t = headText(file).trimStart();
    if (!t.startsWith('{')) return 0;
    if (/"format"\s*:\s*"ci-run-bundle"/.test(t)) return SNIFF_CONTENT + (named ? SNIFF_NAME_BONUS : 0);
    if (named) return /"(run|steps|policy)"\s*:/.test(t) ? SNIFF_CONTENT : SNIFF_NAME_ONLY;
    return 0;
  },
  async read(_file, stream, sink, ctx) {
    const text = await readSmallText(stream, MANIFEST_MAX_BYTES, ctx.signal);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      sink.warn(jsonErrorLine(text, e as Error), `malformed JSON: ${(e as Error).message}; manifest not read`);
      return;
    }
    if (!isObj(doc)) {
      sink.warn(1, `manifest must be a JSON object, got ${typeName(doc)}; not read`);
      return;
    }
    const lineOfKey = (key: string): number | null => {
      const at = topLevelValueStart(text, key);
      return at < 0 ? null : linesOf(text, [at])[0]!;
    };
    if (doc.format !== undefined && doc.format !== 'ci-run-bundle') {
      sink.warn(lineOfKey('format'), `unexpected "format" ${JSON.stringify(doc.format)} (expected "ci-run-bundle"); reading it as a run bundle`);
    }
    if (doc.version !== undefined && doc.version !== 1) {
      sink.warn(lineOfKey('version'), `unsupported bundle version ${JSON.stringify(doc.version)}; reading it as version 1`);
    }

    // run
    let job = 'job';
    if (doc.run !== undefined) {
      if (!isObj(doc.run)) {
        sink.warn(lineOfKey('run'), `field "run" must be an object, got ${typeName(doc.run)}; run info skipped`);
      } else {
        const run = doc.run as RunInfo;
        const f = new Fields(doc.run);
        f.time('started_at', false);
        f.time('completed_at', false);
        if (f.problem) sink.warn(lineOfKey('run'), `run: ${f.problem}; that time is ignored`);
        if (typeof run.job === 'string' && run.job) job = run.job;
        const info: RunInfo = storable(run) ? { ...run } : flat(run);
        if (!storable(run)) sink.warn(lineOfKey('run'), 'run: a value is nested too deeply to store; only its plain fields are kept');
        const producer = storableProducer(doc.producer, sink, lineOfKey('producer'));
        if (producer) info.producer = producer;
        sink.run(info);
      }
    } else {
      const producer = storableProducer(doc.producer, sink, lineOfKey('producer'));
      if (producer) sink.run({ producer });
    }

    // policy
    if (doc.policy !== undefined && doc.policy !== null) {
      const f = isObj(doc.policy) ? new Fields(doc.policy) : null;
      const mode = f?.str('egress_policy');
      const allowed = f?.strArray('allowed_endpoints');
      if (!f) sink.warn(lineOfKey('policy'), `field "policy" must be an object, got ${typeName(doc.policy)}; policy skipped`);
      else if (f.problem) sink.warn(lineOfKey('policy'), `policy: ${f.problem}; policy skipped`);
      else {
        if (mode !== undefined && mode !== 'audit' && mode !== 'block') {
          sink.warn(lineOfKey('policy'), `policy: unknown egress_policy ${JSON.stringify(mode)} (expected audit or block)`);
        }
        sink.policy({ egress_policy: mode ?? 'audit', allowed_endpoints: allowed ?? [], origin: 'manifest' });
      }
    }

    // steps
    if (doc.steps !== undefined && doc.steps !== null) {
      if (!Array.isArray(doc.steps)) {
        sink.warn(lineOfKey('steps'), `field "steps" must be an array, got ${typeName(doc.steps)}; steps skipped`);
        return;
      }
      const at = topLevelValueStart(text, 'steps');
      const spans = at < 0 ? [] : arrayElementSpans(text, at);
      const lines = linesOf(text, spans.map((s) => s[0]));
      (doc.steps as unknown[]).forEach((s, i) => {
        const line = lines[i] ?? null;
        const raw = spans[i] ? text.slice(spans[i]![0], spans[i]![1]) : JSON.stringify(s);
        if (!isObj(s)) {
          sink.warn(line, `step ${i + 1}: expected an object, got ${typeName(s)}; step skipped`);
          return;
        }
        const f = new Fields(s);
        const number = f.int('number', true, 0);
        const name = f.str('name', true);
        const uses = f.str('uses');
        const started = f.time('started_at', false);
        const completed = f.time('completed_at', false);
        const conclusion = f.str('conclusion');
        const stepJob = f.str('job');
        if (f.problem) {
          sink.warn(line, `step ${i + 1}: ${f.problem}; step skipped`);
          return;
        }
        const rec: StepRecord = {
          line,
          raw,
          job: stepJob ?? job,
          number: number!,
          name: name!,
          uses: uses ?? null,
          started_at: started ?? null,
          completed_at: completed ?? null,
          conclusion: conclusion ?? null,
          origin: 'manifest',
        };
        sink.step(rec);
      });
    }
  },
};
