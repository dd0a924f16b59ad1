/**
 * `findings.list` / `runlens findings`: one row per finding, its sources merged. Findings of the viewer (one per
 * endpoint outside the allow-list), of the local detections (analysis/detections/) and of the producer that are
 * about the same thing — the same endpoint; or, without an endpoint, the same process or the same source line —
 * are one row that says who raised it (`by`, `sources`). Rows are sorted most severe first, then by time. Each row
 * has its processes and steps, its first evidence rows (source file and line) and what selecting it selects.
 * Text from the case (titles, evidence) has its secrets masked unless `mask: false` (shared/secrets.ts).
 */
import type { Db } from '../db/open';
import type { CaseInfo, EvidenceOut, EvidenceTable, FindingOut, FindingSource, SelectionRef } from '../../shared/api';
import { maybeMask } from '../../shared/secrets';
import { readPolicy } from './policy';
import { argsOf, jsonOf, num, numOr0, str, time, type Row } from './values';

export const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };
export const severityRank = (s: string): number => SEVERITY_RANK[s.toLowerCase()] ?? 5;

export const NO_POLICY_NOTE =
  'no egress policy was given (no allowed_endpoints in the bundle): there are no allow-list findings';

/** A finding's processes: distinct processes of its calls, first seen first (index network_finding). Param: finding id. */
export const FINDING_PROCESSES_SQL = `SELECT p.id, p.pid, p.exe, min(n.ts) AS first FROM network n JOIN processes p ON p.id = n.process_id
  WHERE n.finding_id = ? GROUP BY p.id ORDER BY first, p.id LIMIT 1000`;
/** A finding's steps (index network_finding). Param: finding id. */
export const FINDING_STEPS_SQL = `SELECT s.id, s.number, s.name, min(n.ts) AS first FROM network n JOIN steps s ON s.id = n.step_id
  WHERE n.finding_id = ? GROUP BY s.id ORDER BY s.job, s.number LIMIT 1000`;

const EVIDENCE_SHOWN = 50;

export interface ListOptions {
  /** Mask secrets in titles and evidence text (default true). */
  mask?: boolean;
  /** Merge findings about the same thing into one row (default true). */
  merge?: boolean;
}

interface Raw {
  out: FindingOut;
  keys: string[];
  /** For the order inside a merged row and the primary: viewer before producer, then id. */
  originRank: number;
}

function byOf(origin: string, rule: string | null, detId: string | null, format: string | null): string {
  if (origin === 'producer') return detId ? `producer ${detId}` : `producer (${format ?? 'unknown'})`;
  return rule && (rule.startsWith('user:') || rule === 'ioc') ? 'Runlens (rules file)' : 'Runlens';
}

/** Summary line of one evidence row. */
function evidenceText(table: EvidenceTable, r: Row): string {
  switch (table) {
    case 'network': {
      const m = str(r.http_method);
      return `${m ? `${m} ` : ''}${str(r.endpoint) ?? str(r.domain) ?? str(r.ip) ?? '?'}${str(r.http_path) ?? ''}`;
    }
    case 'processes':
      return `${num(r.pid) ?? '?'} ${argsOf(r.args).join(' ') || (str(r.exe) ?? '?')}`;
    case 'log_lines':
      return str(r.text) ?? '';
    case 'file_events':
      return `${str(r.op) ?? '?'} ${str(r.path) ?? ''}${str(r.exe) ? ` by ${str(r.exe)}` : ''}`;
    case 'dns':
      return `${str(r.domain) ?? ''} → ${(jsonOf<unknown[]>(r.answers, [])).join(', ')}`;
    case 'detections':
      return str(r.title) ?? str(r.kind) ?? '';
  }
}

const EVIDENCE_COLS: Record<EvidenceTable, string> = {
  network: 't.http_method, t.endpoint, t.domain, t.ip, t.http_path, t.process_id',
  processes: 't.pid, t.args, t.exe, t.start AS ts, t.id AS process_id',
  log_lines: 't.text',
  file_events: 't.op, t.path, t.exe, t.process_id',
  dns: 't.domain, t.answers, t.process_id',
  detections: 't.title, t.kind, t.process_id',
};

export function evidenceReader(db: Db, mask: boolean): (table: EvidenceTable, id: number) => EvidenceOut | null {
  const stmts = new Map<EvidenceTable, ReturnType<Db['prepare']>>();
  return (table, id) => {
    if (!Object.hasOwn(EVIDENCE_COLS, table)) return null;
    let st = stmts.get(table);
    if (!st) {
      const ts = table === 'processes' ? '' : 't.ts, ';
      st = db
        .prepare(`SELECT ${ts}t.line, s.path AS file, ${EVIDENCE_COLS[table]} FROM ${table} t LEFT JOIN sources s ON s.id = t.source_id WHERE t.id = ?`)
        .safeIntegers(true);
      stmts.set(table, st);
    }
    const r = st.get(id) as Row | undefined;
    if (!r) return null;
    const text = evidenceText(table, r);
    return {
      table, id, ts: time(r.ts), file: str(r.file), line: num(r.line),
      text: maybeMask(text.length > 2000 ? text.slice(0, 2000) + '…' : text, mask),
      process_id: num(r.process_id),
    };
  };
}

function targetOf(e: EvidenceOut | undefined): SelectionRef | null {
  if (!e) return null;
  if (e.table === 'network') return { kind: 'call', id: e.id };
  if (e.table === 'log_lines') return { kind: 'log', id: e.id };
  if (e.table === 'processes') return { kind: 'process', id: e.id };
  return e.process_id !== null ? { kind: 'process', id: e.process_id } : null;
}

export function listFindings(db: Db, opts: ListOptions = {}): { findings: FindingOut[]; policy: CaseInfo['policy']; note?: string } {
  const mask = opts.mask ?? true;
  const findings = db
    .prepare(
      `SELECT f.*, d.det_id AS d_det_id, d.process_id AS d_process_id, d.source_id AS d_source_id, d.line AS d_line,
              src.format AS d_format
       FROM findings f LEFT JOIN detections d ON d.id = f.detection_id LEFT JOIN sources src ON src.id = d.source_id`,
    )
    .safeIntegers(true)
    .all() as Row[];
  const procs = db.prepare(FINDING_PROCESSES_SQL).safeIntegers(true);
  const steps = db.prepare(FINDING_STEPS_SQL).safeIntegers(true);
  const proc = db.prepare('SELECT id, pid, exe, step_id FROM processes WHERE id = ?').safeIntegers(true);
  const step = db.prepare('SELECT id, number, name FROM steps WHERE id = ?').safeIntegers(true);
  const callsOf = db.prepare('SELECT id FROM network WHERE finding_id = ? ORDER BY ts, id LIMIT ?').safeIntegers(true);
  const callsCount = db.prepare('SELECT count(*) AS n FROM network WHERE finding_id = ?').safeIntegers(true);
  const firstCallTo = db.prepare('SELECT id FROM network WHERE endpoint = ? ORDER BY ts, id LIMIT 1').safeIntegers(true);
  const evRows = db.prepare('SELECT tbl, row_id FROM finding_evidence WHERE finding_id = ? ORDER BY rowid LIMIT ?').safeIntegers(true);
  const evCount = db.prepare('SELECT count(*) AS n FROM finding_evidence WHERE finding_id = ?').safeIntegers(true);
  const readEvidence = evidenceReader(db, mask);
  const srcKey = (table: EvidenceTable, id: number): string | null => {
    if (table === 'network' || !Object.hasOwn(EVIDENCE_COLS, table)) return null;
    // The table name comes from the EvidenceTable list only (finding_evidence is written by the analysis).
    const r = db.prepare(`SELECT source_id, line FROM ${table} WHERE id = ?`).get(id) as { source_id: number | null; line: number | null } | undefined;
    return r && r.source_id !== null && r.line !== null ? `s:${r.source_id}:${r.line}` : null;
  };
  const procRef = (pid: number | null) => {
    if (pid === null) return null;
    const p = proc.get(pid) as Row | undefined;
    return p ? { id: numOr0(p.id), pid: numOr0(p.pid), exe: str(p.exe), step_id: num(p.step_id) } : null;
  };
  const stepOut = (sid: number | null) => {
    if (sid === null) return null;
    const s = step.get(sid) as Row | undefined;
    return s ? { id: numOr0(s.id), number: numOr0(s.number), name: str(s.name) ?? '' } : null;
  };

  const raws: Raw[] = findings.map((f): Raw => {
    const id = numOr0(f.id);
    const origin = str(f.origin) === 'producer' ? 'producer' : 'viewer';
    const rule = str(f.rule);
    const endpoint = str(f.endpoint);
    let processes = (procs.all(id) as Row[]).map((p) => ({ id: numOr0(p.id), pid: numOr0(p.pid), exe: str(p.exe) }));
    let stepList = (steps.all(id) as Row[]).map((s) => ({ id: numOr0(s.id), number: numOr0(s.number), name: str(s.name) ?? '' }));
    // A producer detection or a local detection names its process (and step) directly.
    const ownProc = procRef(num(f.process_id) ?? num(f.d_process_id));
    if (ownProc && !processes.some((p) => p.id === ownProc.id)) processes = [{ id: ownProc.id, pid: ownProc.pid, exe: ownProc.exe }, ...processes];
    const ownStep = stepOut(num(f.step_id) ?? ownProc?.step_id ?? null);
    if (ownStep && !stepList.some((s) => s.id === ownStep.id)) stepList = [ownStep, ...stepList];

    // Evidence: the calls behind an allow-list finding; the rows a local detection named; a producer's detection.
    const evidence: EvidenceOut[] = [];
    let evidenceTotal: number;
    const keys: string[] = [];
    if (rule === null && origin === 'viewer') {
      evidenceTotal = numOr0((callsCount.get(id) as Row).n);
      for (const r of callsOf.all(id, EVIDENCE_SHOWN) as Row[]) {
        const e = readEvidence('network', numOr0(r.id));
        if (e) evidence.push(e);
      }
    } else if (origin === 'viewer') {
      evidenceTotal = numOr0((evCount.get(id) as Row).n);
      for (const r of evRows.all(id, EVIDENCE_SHOWN) as Row[]) {
        const table = str(r.tbl) as EvidenceTable;
        const e = readEvidence(table, numOr0(r.row_id));
        if (e) evidence.push(e);
        if (!endpoint) {
          const k = srcKey(table, numOr0(r.row_id));
          if (k) keys.push(k);
        }
      }
    } else {
      const det = readEvidence('detections', numOr0(f.detection_id));
      if (endpoint) {
        const c = firstCallTo.get(endpoint) as Row | undefined;
        const e = c ? readEvidence('network', numOr0(c.id)) : null;
        if (e) evidence.push(e);
      }
      if (ownProc) {
        const e = readEvidence('processes', ownProc.id);
        if (e) evidence.push(e);
      }
      if (det) evidence.push(det);
      evidenceTotal = evidence.length;
      const ds = num(f.d_source_id), dl = num(f.d_line);
      if (ds !== null && dl !== null) keys.push(`s:${ds}:${dl}`);
    }
    if (endpoint) keys.push(`e:${endpoint}`);
    else if (ownProc) keys.push(`p:${ownProc.id}`);

    const kind = str(f.kind) ?? '';
    const kinds = jsonOf<unknown>(f.kinds, [kind]);
    const severity = (str(f.severity) ?? '').toLowerCase();
    const title = maybeMask(str(f.title), mask);
    const detectionId = str(f.d_det_id);
    const by = byOf(origin, rule, detectionId, str(f.d_format));
    const source: FindingSource = { id, origin, by, kind, severity, title, rule, detection_id: detectionId };
    return {
      keys,
      originRank: origin === 'viewer' ? 0 : 1,
      out: {
        id, kind, kinds: Array.isArray(kinds) ? kinds.map(String) : [kind], severity, origin, title, endpoint,
        calls: numOr0(f.calls), first_seen: time(f.first_seen), last_seen: time(f.last_seen), processes, steps: stepList,
        detection_id: detectionId, rule, by: [by], sources: [source], target: targetOf(evidence[0]), evidence,
        evidence_total: evidenceTotal,
      },
    };
  });

  const rows = opts.merge === false ? raws.map((r) => r.out) : mergeRows(raws);
  rows.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      (a.first_seen ?? '~').localeCompare(b.first_seen ?? '~') ||
      a.id - b.id,
  );
  const policy = readPolicy(db);
  return policy ? { findings: rows, policy } : { findings: rows, policy: null, note: NO_POLICY_NOTE };
}

/** Union the findings that share a key; each group becomes one row led by its most severe member. */
function mergeRows(raws: Raw[]): FindingOut[] {
  const parent = raws.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  raws.forEach((r, i) => {
    for (const k of r.keys) {
      const j = owner.get(k);
      if (j === undefined) owner.set(k, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Raw[]>();
  raws.forEach((r, i) => {
    const g = groups.get(find(i));
    if (g) g.push(r);
    else groups.set(find(i), [r]);
  });
  const out: FindingOut[] = [];
  for (const g of groups.values()) {
    g.sort(
      (a, b) =>
        severityRank(a.out.severity) - severityRank(b.out.severity) ||
        a.originRank - b.originRank ||
        (a.out.rule === null ? 0 : 1) - (b.out.rule === null ? 0 : 1) ||
        a.out.id - b.out.id,
    );
    const p = g[0]!.out;
    if (g.length === 1) {
      out.push(p);
      continue;
    }
    const all = g.map((r) => r.out);
    const uniq = <T>(xs: T[], key: (x: T) => string | number): T[] => {
      const seen = new Set<string | number>();
      return xs.filter((x) => (seen.has(key(x)) ? false : (seen.add(key(x)), true)));
    };
    const times = (k: 'first_seen' | 'last_seen') => all.map((f) => f[k]).filter((t): t is string => t !== null).sort();
    const evidence = uniq(all.flatMap((f) => f.evidence), (e) => `${e.table}:${e.id}`);
    out.push({
      ...p,
      kinds: uniq(all.flatMap((f) => f.kinds), (k) => k),
      calls: Math.max(...all.map((f) => f.calls)),
      first_seen: times('first_seen')[0] ?? null,
      last_seen: times('last_seen').at(-1) ?? null,
      processes: uniq(all.flatMap((f) => f.processes), (x) => x.id),
      steps: uniq(all.flatMap((f) => f.steps), (x) => x.id),
      detection_id: all.find((f) => f.detection_id !== null)?.detection_id ?? null,
      by: uniq(all.flatMap((f) => f.by), (x) => x),
      sources: all.flatMap((f) => f.sources),
      target: p.target ?? all.find((f) => f.target)?.target ?? null,
      evidence: evidence.slice(0, EVIDENCE_SHOWN),
      // Rows shared by several members count once; rows beyond the shown ones are added as each member counted them.
      evidence_total: evidence.length + all.reduce((s, f) => s + Math.max(0, f.evidence_total - f.evidence.length), 0),
    });
  }
  return out;
}
