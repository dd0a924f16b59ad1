/**
 * `detections.json` (bundle v1): the producer's own detections, a JSON array (also accepted: `{"detections": [...]}`
 * or a single detection object). Read whole, capped at 64 MiB. Required per detection: kind.
 */
import type { Importer } from '../types';
import { baseName, Fields, headText, isObj, readSmallText, SNIFF_CONTENT, SNIFF_NAME_BONUS, SNIFF_NAME_ONLY, typeName } from '../kit';
import { arrayElementSpans, linesOf, topLevelValueStart } from './json-positions';
import { jsonErrorLine } from './manifest';

export const DETECTIONS_MAX_BYTES = 64 * 1024 * 1024;
const KINDS = /"kind"\s*:\s*"(anomalous-endpoint|blocked-call|suspicious-process|source-overwrite)"/;

export const bundleDetectionsImporter: Importer = {
  format: 'bundle-detections',
  sniff(file) {
    const named = baseName(file.relPath) === 'detections.json';
    const t = headText(file).trimStart();
    if (!(t.startsWith('[') || t.startsWith('{'))) return named && t === '' ? SNIFF_NAME_ONLY : 0;
    if (KINDS.test(t) && /"(severity|title|endpoint)"\s*:/.test(t)) return SNIFF_CONTENT + (named ? SNIFF_NAME_BONUS : 0);
    if (named) return SNIFF_NAME_ONLY;
    return 0;
  },
  async read(_file, stream, sink, ctx) {
    const text = await readSmallText(stream, DETECTIONS_MAX_BYTES, ctx.signal);
    if (!text.trim()) return;
    let doc: unknown;
    let items: { value: unknown; line: number | null; raw: string }[];
    try {
      doc = JSON.parse(text);
    } catch (e) {
      sink.warn(jsonErrorLine(text, e as Error), `malformed JSON: ${(e as Error).message}; detections not read`);
      return;
    }
    if (Array.isArray(doc)) {
      const spans = arrayElementSpans(text, 0);
      const lines = linesOf(text, spans.map((s) => s[0]));
      items = doc.map((value, i) => ({ value, line: lines[i] ?? null, raw: spans[i] ? text.slice(spans[i]![0], spans[i]![1]) : JSON.stringify(value) }));
    } else if (isObj(doc) && Array.isArray(doc.detections)) {
      const at = topLevelValueStart(text, 'detections');
      const spans = at < 0 ? [] : arrayElementSpans(text, at);
      const lines = linesOf(text, spans.map((s) => s[0]));
      items = (doc.detections as unknown[]).map((value, i) => ({ value, line: lines[i] ?? null, raw: spans[i] ? text.slice(spans[i]![0], spans[i]![1]) : JSON.stringify(value) }));
    } else if (isObj(doc)) {
      items = [{ value: doc, line: 1, raw: text.trim() }];
    } else {
      sink.warn(1, `expected a JSON array of detections, got ${typeName(doc)}; not read`);
      return;
    }
    for (const { value, line, raw } of items) {
      if (ctx.signal.aborted) return;
      if (!isObj(value)) {
        sink.warn(line, `expected a detection object, got ${typeName(value)}; record skipped`);
        continue;
      }
      const f = new Fields(value);
      const kind = f.str('kind', true);
      const id = value.id;
      if (id !== undefined && id !== null && typeof id !== 'string' && typeof id !== 'number') f.str('id');
      const severity = f.str('severity');
      const title = f.str('title');
      const ts = f.time('ts', false);
      const endpoint = f.str('endpoint');
      const pid = f.int('pid', false, 0);
      if (f.problem) {
        sink.warn(line, `${f.problem}; record skipped`);
        continue;
      }
      sink.detection({
        line,
        raw,
        det_id: id === undefined || id === null ? null : String(id),
        kind: kind!,
        severity: severity ?? null,
        title: title ?? null,
        ts: ts ?? null,
        endpoint: endpoint ?? null,
        pid: pid ?? null,
      });
    }
  },
};
