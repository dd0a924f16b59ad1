/** The report as Markdown: the same content as the HTML (build.ts), every text from the case escaped. */
import type { Report } from './build';
import { escapeMd as m } from './escape';
import { timelineSvg } from './timeline-svg';

const t = (s: string | null | undefined) => (s ? m(s) : '—');
const code = (s: string | null | undefined) => (s ? '`' + s.replace(/`/g, 'ˋ').replace(/[\r\n]+/g, ' ') + '`' : '—');

export function reportMarkdown(r: Report): string {
  const out: string[] = [];
  out.push(`# Runlens report: ${m(r.title)}`, '', `Generated ${r.generated_at} · secrets ${r.secrets_masked ? 'masked' : '**revealed**'}`, '');
  out.push('## Run', '', '| field | value |', '|---|---|');
  for (const [k, v] of Object.entries(r.run ?? {})) if (v !== null && typeof v !== 'object') out.push(`| ${m(k)} | ${t(String(v))} |`);
  out.push(`| case file | ${t(r.case_file)} |`);
  out.push(`| egress policy | ${r.policy ? `${m(r.policy.egress_policy)}; allowed: ${t(r.policy.allowed_endpoints.join(', ') || '(none)')}` : 'none given'} |`, '');
  out.push('## Inputs', '', '| input | bytes | sha256 |', '|---|---:|---|');
  for (const i of r.inputs) out.push(`| ${t(i.path)} | ${i.bytes} | ${code(i.sha256)} |`);
  out.push('', `## Findings (${r.findings.length})`, '');
  if (r.findings.length) {
    out.push('| # | severity | kind | title | raised by | first seen |', '|---:|---|---|---|---|---|');
    r.findings.forEach((f, i) => out.push(`| ${i + 1} | ${m(f.severity)} | ${m(f.kinds.join(', '))} | ${t(f.title)} | ${m(f.by.join(', '))} | ${f.first_seen ?? '—'} |`));
  } else out.push('No findings.');
  r.findings.forEach((f, i) => {
    out.push('', `### ${i + 1}. ${m(f.severity.toUpperCase())}: ${t(f.title ?? f.kind)}`, '');
    out.push(`- Kind: ${m(f.kinds.join(', '))}`, `- Raised by: ${m(f.by.join(', '))}`, `- About: ${t(f.endpoint ?? (f.processes[0] ? `${f.processes[0].pid} ${f.processes[0].exe ?? ''}` : null))}`);
    out.push(`- First seen: ${f.first_seen ?? '—'}; steps: ${t(f.steps.map((s) => `${s.number} ${s.name}`).join('; '))}`);
    for (const s of f.sources.slice(1)) out.push(`- Also: ${m(s.by)}: ${t(s.title ?? s.kind)} (${m(s.severity)})`);
    out.push('', `Evidence (${f.evidence.length} of ${f.evidence_total}):`, '', '| row | time | source | what |', '|---|---|---|---|');
    for (const e of f.evidence) out.push(`| ${e.table} ${e.id} | ${e.ts ?? '—'} | ${t(e.file ? `${e.file}${e.line !== null ? `:${e.line}` : ''}` : null)} | ${code(e.text)} |`);
    out.push('', 'Process chain:', '');
    if (f.chain.length) f.chain.forEach((p, k) => out.push(`${' '.repeat(k * 2)}- ${p.pid} ${code(p.args.join(' ') || p.exe)}`));
    else out.push('- (no process known)');
    out.push('', 'Log lines:', '');
    if (f.log_lines.length) for (const l of f.log_lines) out.push(`- ${l.ts ?? '—'} [${l.step ?? '—'}] ${t(l.file ? `${l.file}${l.line !== null ? `:${l.line}` : ''}` : null)} ${code(l.text)}`);
    else out.push('- (none)');
    for (const n of f.notes) out.push(`- Note${n.verdict ? ` (${n.verdict})` : ''}: ${t(n.text)}`);
  });
  out.push('', `## Notes and verdicts (${r.notes.length})`, '');
  if (r.notes.length) {
    out.push('| verdict | about | note | updated |', '|---|---|---|---|');
    for (const n of r.notes) out.push(`| ${n.verdict ?? '—'} | ${t(n.label)} | ${t(n.text)} | ${n.updated_at} |`);
  } else out.push('No notes.');
  out.push('', '## Action log', '');
  if (r.actions.length) for (const a of r.actions) out.push(`- ${a.at} ${m(a.action)} ${code(JSON.stringify(a.detail))}`);
  else out.push('No actions recorded.');
  const svg = timelineSvg(r);
  out.push('', '## Timeline', '');
  if (svg.startsWith('<svg')) out.push(`![Timeline: steps and findings](data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')})`, '');
  out.push('Steps:', '');
  for (const s of r.steps) out.push(`- ${s.number} ${t(s.name)}: ${s.start ?? '—'} – ${s.end ?? '—'}`);
  return out.join('\n') + '\n';
}
