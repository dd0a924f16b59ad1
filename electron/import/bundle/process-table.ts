/**
 * `process-table.csv` (bundle v1): header `pid,ppid,start,end,exe,args,cwd,uid` (columns found by name; extra
 * columns kept in raw), RFC 4180 quoting, `args` one shell-quoted command line, `end` may be empty. Each row gives
 * an exec event at `start` and, when `end` is set, an exit event at `end` (origin 'table').
 */
import { splitShellWordsLenient } from '../../../shared/shellwords';
import { parseRfc3339, TimeError, type Nanos } from '../../../shared/time';
import type { Importer } from '../types';
import { baseName, headText, SNIFF_CONTENT, SNIFF_NAME_BONUS, SNIFF_NAME_ONLY } from '../kit';
import { csvFields, readCsv } from './csv';
import { noteLines } from '../accounting';

export const PROCESS_TABLE_HEADER = ['pid', 'ppid', 'start', 'end', 'exe', 'args', 'cwd', 'uid'];

function headerOf(file: { head: Buffer }): string[] | null {
  const t = headText(file).replace(/^\s+/, '');
  const nl = t.indexOf('\n');
  const first = (nl === -1 ? t : t.slice(0, nl)).replace(/\r$/, '');
  if (!first.includes(',')) return null;
  return csvFields(first).map((h) => h.trim().toLowerCase());
}

export const bundleProcessTableImporter: Importer = {
  format: 'bundle-process-table',
  sniff(file) {
    const named = baseName(file.relPath) === 'process-table.csv';
    const h = headerOf(file);
    if (h && h.join(',') === PROCESS_TABLE_HEADER.join(',')) return SNIFF_CONTENT + (named ? SNIFF_NAME_BONUS : 0);
    if (h && h.includes('pid') && h.includes('start') && (h.includes('ppid') || h.includes('args') || h.includes('exe'))) {
      return 0.6 + (named ? SNIFF_NAME_BONUS : 0);
    }
    return named && headText(file).trim() === '' ? SNIFF_NAME_ONLY : 0;
  },
  async read(_file, stream, sink, ctx) {
    let col: Record<string, number> | null = null;
    let width = 0;
    for await (const rec of readCsv(stream, ctx.signal)) {
      if (ctx.signal.aborted) return;
      if (!col) {
        const names = rec.fields.map((h) => h.trim().toLowerCase());
        col = {};
        names.forEach((n, i) => {
          if (col![n] === undefined) col![n] = i;
        });
        width = names.length;
        const missing = ['pid', 'start'].filter((k) => col![k] === undefined);
        if (missing.length) {
          sink.warn(rec.line, `header lacks required column(s) ${missing.join(', ')} (expected ${PROCESS_TABLE_HEADER.join(',')}); file not read`);
          return;
        }
        const unknown = names.filter((n) => !PROCESS_TABLE_HEADER.includes(n));
        if (unknown.length) sink.warn(rec.line, `extra column(s) kept in raw only: ${unknown.join(', ')}`);
        noteLines(rec.line, rec.lineEnd, 'header');
        continue;
      }
      if (rec.problem) {
        sink.warn(rec.line, `${rec.problem}; row skipped`);
        continue;
      }
      if (rec.badUtf8) sink.warn(rec.line, 'invalid UTF-8: bytes replaced with U+FFFD');
      if (rec.fields.length !== width) {
        sink.warn(rec.line, `row has ${rec.fields.length} fields, header has ${width}; row skipped`);
        continue;
      }
      const get = (k: string): string => {
        const i = col![k];
        return i === undefined ? '' : rec.fields[i]!;
      };
      const problem: string[] = [];
      const int = (k: string, required: boolean): number | null => {
        const v = get(k).trim();
        if (v === '') {
          if (required) problem.push(`missing required field "${k}"`);
          return null;
        }
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
          problem.push(`field "${k}" must be a non-negative integer, got ${JSON.stringify(v.slice(0, 40))}`);
          return null;
        }
        return Number(v);
      };
      const time = (k: string, required: boolean): Nanos | null => {
        const v = get(k).trim();
        if (v === '') {
          if (required) problem.push(`missing required field "${k}"`);
          return null;
        }
        try {
          return parseRfc3339(v);
        } catch (e) {
          problem.push(`field "${k}": ${e instanceof TimeError ? e.message : String(e)}`);
          return null;
        }
      };
      const pid = int('pid', true);
      const ppid = int('ppid', false);
      const uid = int('uid', false);
      const start = time('start', true);
      const end = time('end', false);
      if (problem.length) {
        sink.warn(rec.line, `${problem[0]}; row skipped`);
        continue;
      }
      let args: string[] | null = null;
      const argsText = get('args');
      if (argsText.trim() !== '') {
        const split = splitShellWordsLenient(argsText);
        if (split.error) sink.warn(rec.line, `field "args": ${split.error}; split as far as possible`);
        args = split.words;
      }
      const str = (k: string): string | null => (get(k) === '' ? null : get(k));
      sink.processEvent({
        line: rec.line,
        line_end: rec.lineEnd,
        raw: rec.raw,
        ts: start!,
        event: 'exec',
        pid: pid!,
        ppid,
        exe: str('exe'),
        args,
        cwd: str('cwd'),
        uid,
        exit_code: null,
        origin: 'table',
      });
      if (end !== null) {
        if (end < start!) {
          sink.warn(rec.line, 'field "end" is before "start"; exit not recorded');
          continue;
        }
        sink.processEvent({ line: rec.line,
        line_end: rec.lineEnd, raw: rec.raw, ts: end, event: 'exit', pid: pid!, ppid, exit_code: null, origin: 'table' });
      }
    }
  },
};
