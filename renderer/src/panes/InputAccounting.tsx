/**
 * No silent loss, in the Inputs panel: for every file an importer read, its physical lines, the lines its records
 * hold and the lines skipped, with the reasons (`case.info` sources' accounting, migration 3). Files with skipped
 * lines come first.
 */
import type { CaseInfo, CaseSource, SourceAccounting } from '../../../shared/api';

const MAX_ROWS = 200;

type Read = CaseSource & { accounting: SourceAccounting };

const n = (x: number) => x.toLocaleString('en-US');

export function InputAccounting({ info }: { info: CaseInfo }) {
  const files = info.sources.filter((s): s is Read => !!s.accounting);
  if (files.length === 0) return null;
  const total = files.reduce(
    (t, f) => ({
      lines: t.lines + f.accounting.lines,
      stored: t.stored + f.accounting.lines_stored,
      skipped: t.skipped + f.accounting.lines_skipped,
    }),
    { lines: 0, stored: 0, skipped: 0 },
  );
  const rows = [...files].sort((a, b) => b.accounting.lines_skipped - a.accounting.lines_skipped || a.id - b.id).slice(0, MAX_ROWS);
  return (
    <section className="input-accounting" aria-label="What was read">
      <h2>What was read</h2>
      <p className="dim">
        {n(files.length)} file{files.length === 1 ? '' : 's'} read: {n(total.lines)} lines, {n(total.stored)} stored,{' '}
        {n(total.skipped)} skipped (every skipped line has its reason below).
      </p>
      <table className="inputs accounting">
        <thead>
          <tr>
            <th>file</th>
            <th>format</th>
            <th>lines</th>
            <th>stored</th>
            <th>skipped</th>
            <th>why skipped</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => (
            <tr key={f.id}>
              <td className="mono">{f.member ?? f.path}</td>
              <td>{f.format}</td>
              <td className="num">{n(f.accounting.lines)}</td>
              <td className="num">{n(f.accounting.lines_stored)}</td>
              <td className="num">{n(f.accounting.lines_skipped)}</td>
              <td>
                {Object.entries(f.accounting.skipped)
                  .sort((a, b) => b[1] - a[1])
                  .map(([why, k]) => `${why} (${n(k)})`)
                  .join('; ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {files.length > MAX_ROWS && <p className="dim">{n(files.length - MAX_ROWS)} more files, none with more lines skipped.</p>}
    </section>
  );
}
