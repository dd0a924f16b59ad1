/**
 * The report's timeline picture: an inline SVG (no script, no external reference) with the steps as bars,
 * each finding as a marker at its first moment (colour by severity, numbered as in the report) and the notes'
 * time ranges as bands. Every text is escaped.
 */
import { tryParseRfc3339 } from '../../shared/time';
import { escapeHtml } from './escape';
import type { Report } from './build';

const W = 960, LEFT = 8, RIGHT = 8, STEP_Y = 24, STEP_H = 18, MARK_Y = 64;
const SEV_COLOUR: Record<string, string> = { critical: '#a40e26', high: '#c4302b', medium: '#9a6700', low: '#57606a', info: '#57606a' };

export function timelineSvg(r: Report): string {
  // The job's span (steps and findings): a process table's boot-time processes would squash the picture.
  const times = [...r.steps.flatMap((s) => [s.start, s.end]), ...r.findings.map((f) => f.first_seen)].filter((t): t is string => !!t).sort();
  const range = times.length >= 2 ? { start: times[0]!, end: times[times.length - 1]! } : r.time_range;
  const a = tryParseRfc3339(range?.start ?? null), b = tryParseRfc3339(range?.end ?? null);
  if (a === null || b === null || b <= a) return '<p>(no times in this case: no timeline)</p>';
  const span = Number(b - a);
  const x = (ts: string | null): number | null => {
    const t = tryParseRfc3339(ts);
    return t === null ? null : LEFT + ((W - LEFT - RIGHT) * Number(t - a)) / span;
  };
  const parts: string[] = [];
  for (const n of r.notes) {
    if (n.target.kind !== 'range') continue;
    const x1 = x(n.target.start ?? null), x2 = x(n.target.end ?? null);
    if (x1 === null || x2 === null) continue;
    parts.push(`<rect x="${x1.toFixed(1)}" y="2" width="${Math.max(1, x2 - x1).toFixed(1)}" height="${MARK_Y + 14}" fill="#2463d1" fill-opacity="0.12"><title>${escapeHtml(`note: ${n.text}`)}</title></rect>`);
  }
  r.steps.forEach((s, i) => {
    const x1 = x(s.start), x2 = x(s.end);
    if (x1 === null || x2 === null) return;
    const w = Math.max(1, x2 - x1);
    parts.push(
      `<rect x="${x1.toFixed(1)}" y="${STEP_Y + (i % 2) * 2}" width="${w.toFixed(1)}" height="${STEP_H}" fill="${i % 2 ? '#dce8fc' : '#c5d8f7'}" stroke="#7a9bd1"><title>${escapeHtml(`step ${s.number} ${s.name}`)}</title></rect>`,
    );
    if (w > 30) parts.push(`<text x="${(x1 + 3).toFixed(1)}" y="${STEP_Y + 13}" font-size="10">${escapeHtml(String(s.number))}</text>`);
  });
  r.findings.forEach((f, i) => {
    const fx = x(f.first_seen);
    if (fx === null) return;
    const c = SEV_COLOUR[f.severity] ?? '#57606a';
    const y = MARK_Y + (i % 3) * 4;
    parts.push(
      `<g><title>${escapeHtml(`#${i + 1} ${f.severity}: ${f.title ?? f.kind}`)}</title><path d="M${fx.toFixed(1)} ${y - 6} l6 6 l-6 6 l-6 -6 z" fill="${c}"/><text x="${(fx + 7).toFixed(1)}" y="${y + 4}" font-size="10" fill="${c}">${i + 1}</text></g>`,
    );
  });
  const ticks: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const tx = LEFT + ((W - LEFT - RIGHT) * k) / 4;
    const t = (range!.start < range!.end ? (k === 0 ? range!.start : k === 4 ? range!.end : '') : '').replace(/^.*T/, '').replace(/\.\d+Z$/, 'Z');
    ticks.push(`<line x1="${tx}" y1="14" x2="${tx}" y2="${MARK_Y + 16}" stroke="#d0d7de"/>${t ? `<text x="${k === 4 ? tx - 60 : tx + 2}" y="11" font-size="10">${escapeHtml(t)}</text>` : ''}`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Timeline: steps and findings" width="${W}" height="${MARK_Y + 22}" viewBox="0 0 ${W} ${MARK_Y + 22}" font-family="sans-serif">${ticks.join('')}${parts.join('')}</svg>`;
}
