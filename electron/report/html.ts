/**
 * The report as one self-contained HTML file: inline CSS and an inline SVG, nothing fetched, no script at all.
 * A strict Content-Security-Policy meta (`default-src 'none'`, inline styles and data: images only, no script
 * source) makes sure nothing from the case could run even if escaping failed; every text is escaped anyway.
 */
import type { Report, ReportFinding } from './build';
import { escapeHtml as h } from './escape';
import { timelineSvg } from './timeline-svg';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
body{font:13px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#1f2328;padding:0 12px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #d0d7de}h3{font-size:14px;margin:18px 0 4px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top}
code,.mono{font-family:ui-monospace,monospace;font-size:12px;overflow-wrap:anywhere}
.sev{font-weight:700;text-transform:uppercase;font-size:11px;padding:0 4px;border-radius:3px;border:1px solid currentColor}
.sev-critical,.sev-high,.v-malicious{color:#c4302b}.sev-medium,.v-suspicious,.v-needs-review{color:#9a6700}.v-benign{color:#1a7f37}
.dim{color:#57606a}ol.chain{margin:2px 0;padding-left:20px}.finding{border:1px solid #d0d7de;border-radius:4px;padding:4px 10px;margin:10px 0}
`;

const t = (s: string | null | undefined) => h(s ?? '—');
const fileLine = (file: string | null, line: number | null) => (file ? `${h(file)}${line !== null ? `:${line}` : ''}` : '—');

function runTable(r: Report): string {
  const run = r.run ?? {};
  const keys = ['repository', 'workflow', 'job', 'run_id', 'run_attempt', 'head_sha', 'ref', 'event', 'started_at', 'completed_at'];
  const rows = keys.filter((k) => run[k] !== undefined && run[k] !== null).map((k) => `<tr><th>${h(k)}</th><td class="mono">${h(String(run[k]))}</td></tr>`);
  return `<table>${rows.join('')}<tr><th>case file</th><td class="mono">${h(r.case_file)}</td></tr>${
    r.policy ? `<tr><th>egress policy</th><td>${h(r.policy.egress_policy)}; allowed: <span class="mono">${h(r.policy.allowed_endpoints.join(', ') || '(none)')}</span></td></tr>` : '<tr><th>egress policy</th><td>none given</td></tr>'
  }</table>`;
}

function findingHtml(f: ReportFinding, i: number): string {
  const ev = f.evidence
    .map((e) => `<tr><td>${h(e.table)} ${e.id}</td><td class="mono">${t(e.ts)}</td><td class="mono">${fileLine(e.file, e.line)}</td><td class="mono">${h(e.text)}</td></tr>`)
    .join('');
  const chain = f.chain.length
    ? `<ol class="chain">${f.chain.map((p) => `<li class="mono">${p.pid} ${h(p.args.join(' ') || p.exe || '?')}</li>`).join('')}</ol>`
    : '<p class="dim">no process known</p>';
  const logs = f.log_lines.length
    ? `<table><tr><th>time</th><th>step</th><th>source</th><th>line</th></tr>${f.log_lines.map((l) => `<tr><td class="mono">${t(l.ts)}</td><td>${l.step ?? '—'}</td><td class="mono">${fileLine(l.file, l.line)}</td><td class="mono">${h(l.text)}</td></tr>`).join('')}</table>`
    : '<p class="dim">no log lines</p>';
  const notes = f.notes.length ? `<h4>Notes</h4><ul>${f.notes.map((n) => `<li>${n.verdict ? `<span class="v-${h(n.verdict)}">${h(n.verdict)}</span> ` : ''}${h(n.text)}</li>`).join('')}</ul>` : '';
  return `<section class="finding" id="finding-${i + 1}">
<h3>#${i + 1} <span class="sev sev-${h(f.severity)}">${h(f.severity)}</span> ${t(f.title ?? f.kind)}</h3>
<p><b>Kind:</b> ${h(f.kinds.join(', '))} · <b>Raised by:</b> ${h(f.by.join(', '))} · <b>About:</b> <span class="mono">${t(f.endpoint ?? (f.processes[0] ? `${f.processes[0].pid} ${f.processes[0].exe ?? ''}` : null))}</span> · <b>First seen:</b> <span class="mono">${t(f.first_seen)}</span> · <b>Steps:</b> ${h(f.steps.map((s) => `${s.number} ${s.name}`).join('; ') || '—')}</p>
${f.sources.length > 1 ? `<ul>${f.sources.map((s) => `<li>${h(s.by)}: ${t(s.title ?? s.kind)} (${h(s.severity)})</li>`).join('')}</ul>` : ''}
<h4>Evidence (${f.evidence.length} of ${f.evidence_total})</h4><table><tr><th>row</th><th>time</th><th>source</th><th>what</th></tr>${ev}</table>
<h4>Process chain</h4>${chain}
<h4>Log lines</h4>${logs}
${notes}
</section>`;
}

export function reportHtml(r: Report): string {
  const inputs = r.inputs.map((i) => `<tr><td class="mono">${h(i.path)}</td><td>${i.bytes}</td><td class="mono">${h(i.sha256)}</td></tr>`).join('');
  const notes = r.notes.length
    ? `<table><tr><th>verdict</th><th>about</th><th>note</th><th>updated</th></tr>${r.notes.map((n) => `<tr><td class="v-${h(n.verdict ?? '')}">${t(n.verdict)}</td><td class="mono">${t(n.label)}</td><td>${h(n.text)}</td><td class="mono">${h(n.updated_at)}</td></tr>`).join('')}</table>`
    : '<p class="dim">No notes.</p>';
  const actions = r.actions.length
    ? `<table><tr><th>time</th><th>action</th><th>detail</th></tr>${r.actions.map((a) => `<tr><td class="mono">${h(a.at)}</td><td>${h(a.action)}</td><td class="mono">${h(JSON.stringify(a.detail))}</td></tr>`).join('')}</table>`
    : '<p class="dim">No actions recorded.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="referrer" content="no-referrer">
<title>${h(`Runlens report — ${r.title}`)}</title>
<style>${CSS}</style></head>
<body>
<h1>Runlens report: ${h(r.title)}</h1>
<p class="dim">Generated ${h(r.generated_at)} · secrets ${r.secrets_masked ? 'masked' : '<b>revealed</b>'}</p>
<h2>Run</h2>${runTable(r)}
<h2>Inputs</h2><table><tr><th>input</th><th>bytes</th><th>sha256</th></tr>${inputs}</table>
<h2>Timeline</h2>${timelineSvg(r)}
<h2>Findings (${r.findings.length})</h2>
${r.findings.length ? `<table><tr><th>#</th><th>severity</th><th>kind</th><th>title</th><th>raised by</th><th>first seen</th></tr>${r.findings.map((f, i) => `<tr><td><a href="#finding-${i + 1}">${i + 1}</a></td><td class="sev-${h(f.severity)}">${h(f.severity)}</td><td>${h(f.kinds.join(', '))}</td><td>${t(f.title)}</td><td>${h(f.by.join(', '))}</td><td class="mono">${t(f.first_seen)}</td></tr>`).join('')}</table>` : '<p>No findings.</p>'}
${r.findings.map(findingHtml).join('\n')}
<h2>Notes and verdicts (${r.notes.length})</h2>${notes}
<h2>Action log</h2>${actions}
</body></html>
`;
}
