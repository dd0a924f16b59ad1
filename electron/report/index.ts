/** `runlens report` and the app's Export: the report of a case in one of three formats. */
import type { Db } from '../db/open';
import { buildReport } from './build';
import { reportHtml } from './html';
import { reportMarkdown } from './markdown';

export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REPORT_MIME: Record<ReportFormat, string> = { md: 'text/markdown', html: 'text/html', json: 'application/json' };

export function renderReport(db: Db, casePath: string, format: ReportFormat, opts: { mask?: boolean } = {}): string {
  const r = buildReport(db, casePath, opts);
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n';
  return format === 'html' ? reportHtml(r) : reportMarkdown(r);
}
