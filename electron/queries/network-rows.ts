/** The columns every call query reads, and their mapping to the contract's NetworkRow. */
import type { NetworkRow } from '../../shared/api';
import { endpointOf } from './endpoint-arg';
import { num, numOr0, str, time, verdictOf, type Row } from './values';

/** Select list over `network n` joined with `findings f` (finding_id), `steps s` (step) and `steps rs` (running). */
export const CALL_COLUMNS = `n.id, n.ts, n.pid, n.process_id, n.process_name, n.domain, n.domain_origin, n.ip, n.port, n.protocol, n.status,
  n.http_method, n.http_host, n.http_path, n.http_status, n.policy_matched, n.policy_reason, n.tool_name, n.tool_sha256,
  n.command_line, n.exe, n.endpoint, n.verdict, n.finding_id, n.step_id, n.running_step_id, n.source_id, n.line,
  f.kind AS f_kind, f.kinds AS f_kinds, f.severity AS f_severity,
  s.id AS s_id, s.job AS s_job, s.number AS s_number, s.name AS s_name, s.uses AS s_uses,
  rs.id AS rs_id, rs.job AS rs_job, rs.number AS rs_number, rs.name AS rs_name, rs.uses AS rs_uses`;

/**
 * What the calls table shows (`networkRow` reads no more), over the same joins: the table's windows read these
 * columns only (values cost per column read, and a window reads 200 rows). `process_name` is the table's label:
 * the call's own, else the base name of its process's executable (`processes p`), else of the call's.
 */
export const listColumns = (processLabel: string) => `n.id, n.ts, n.pid, n.process_id, ${processLabel} AS process_name, n.domain,
  n.domain_origin, n.ip, n.port, n.protocol, n.status, n.http_method, n.http_path, n.http_status, n.endpoint, n.verdict,
  n.finding_id, f.kind AS f_kind, s.number AS s_number, rs.number AS rs_number`;

export const CALL_JOINS = `LEFT JOIN findings f ON f.id = n.finding_id
  LEFT JOIN steps s ON s.id = n.step_id
  LEFT JOIN steps rs ON rs.id = n.running_step_id`;

export function callEndpoint(r: Row): string {
  return str(r.endpoint) ?? endpointOf(str(r.domain), str(r.ip), numOr0(r.port));
}

export function networkRow(r: Row, hasPolicy: boolean): NetworkRow {
  const status = str(r.status) ?? 'allowed';
  return {
    id: numOr0(r.id),
    ts: time(r.ts) ?? '',
    pid: num(r.pid),
    process_id: num(r.process_id),
    process_name: str(r.process_name),
    domain: str(r.domain),
    domain_origin: str(r.domain_origin),
    ip: str(r.ip),
    port: numOr0(r.port),
    protocol: str(r.protocol) ?? 'tcp',
    status,
    endpoint: callEndpoint(r),
    http_method: str(r.http_method),
    http_path: str(r.http_path),
    http_status: num(r.http_status),
    verdict: verdictOf(r.verdict, status, hasPolicy),
    finding_id: num(r.finding_id),
    finding_kind: str(r.f_kind),
    step_number: num(r.s_number),
    running_step_number: num(r.rs_number),
  };
}
