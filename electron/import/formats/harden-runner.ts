/**
 * Harden-Runner (step-security/agent) files on their own:
 * - `harden-runner-agent-log`: the agent's `agent.log` (every line `RFC 1123 time:message`); agent lines become
 *   records through `scanLogLine` (log-embedded.ts), other agent chatter is skipped.
 * - `harden-runner-config`: the agent's config JSON (`agent.json`): `allowed_endpoints` (a space/comma/newline
 *   separated string, or an array) and `egress_policy` become the case policy (origin 'harden-runner'); `repo` and
 *   `run_id` the run; every other key (`disable_sudo`, `disable_telemetry`, `private`, …) is kept under
 *   `run.harden_runner`. In audit mode with no allowed endpoints the agent has no allow-list, so no policy is
 *   emitted (every call would otherwise look "outside policy").
 */
import type { Importer, InputFile } from '../types';
import type { RunInfo } from '../../../shared/model';
import { readLines } from '../lines';
import { parseAgentPrefix, scanLogLine } from './log-embedded';
import { headLines, headText, isObj, Warner } from '../kit';

const AGENT_MSG = /^(domain resolved:|endpoint called ip address:port|ip address dropped:|\[Source code overwritten\]|sudo process started:)/;

export const hardenRunnerAgentLogImporter: Importer = {
  format: 'harden-runner-agent-log',
  sniff(file: InputFile): number {
    const lines = headLines(file, 40);
    if (lines.length === 0) return 0;
    let prefixed = 0;
    let known = 0;
    for (const l of lines) {
      const p = parseAgentPrefix(l);
      if (!p) continue;
      prefixed++;
      if (AGENT_MSG.test(l.slice(p.rest))) known++;
    }
    if (prefixed === 0) return 0;
    const ratio = prefixed / lines.length;
    if (known > 0 && ratio >= 0.5) return 0.9;
    if (ratio >= 0.8) return 0.6;
    return 0;
  },
  async read(_file, stream, sink, ctx) {
    const w = new Warner(sink);
    let records = 0;
    for await (const l of readLines(stream, { signal: ctx.signal })) {
      if (ctx.signal.aborted) break;
      if (l.tooLong) {
        w.warn(l.no, 'line too long: skipped');
        continue;
      }
      if (l.badUtf8) w.warn(l.no, 'invalid UTF-8 bytes replaced with U+FFFD');
      if (scanLogLine(l.text, l.no, null, sink)) records++;
      else if (l.text.trim() !== '' && AGENT_MSG.test(l.text.replace(/^.*?GMT:\s?/, ''))) {
        w.warn(l.no, 'Harden-Runner agent line not understood: skipped');
      }
    }
    if (records === 0) w.warn(null, 'no network, DNS, file or sudo events in this Harden-Runner agent log');
    w.flush();
  },
};

const CONFIG_KEYS = ['egress_policy', 'allowed_endpoints', 'correlation_id', 'disable_sudo', 'disable_telemetry', 'api_url'];

/** Endpoints from a string (space/comma/newline separated) or an array of strings. */
export function splitEndpoints(v: unknown): string[] {
  const items = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
  return items.flatMap((s) => s.split(/[\s,]+/)).map((s) => s.trim()).filter((s) => s !== '');
}

export const hardenRunnerConfigImporter: Importer = {
  format: 'harden-runner-config',
  sniff(file: InputFile): number {
    const text = headText(file).trimStart();
    if (!text.startsWith('{')) return 0;
    let hits = 0;
    for (const k of CONFIG_KEYS) if (new RegExp(`"${k}"\\s*:`).test(text)) hits++;
    if (!/"egress_policy"\s*:/.test(text) && !/"allowed_endpoints"\s*:/.test(text)) return 0;
    // A bundle manifest nests its policy under "policy" and says "format": "ci-run-bundle": not ours.
    if (/"format"\s*:\s*"ci-run-bundle"/.test(text)) return 0;
    return hits >= 2 ? 0.9 : 0.5;
  },
  async read(_file, stream, sink, ctx) {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const c of stream as AsyncIterable<Buffer>) {
      if (ctx.signal.aborted) return;
      bytes += c.length;
      if (bytes > 4 * 1024 * 1024) throw new Error('Harden-Runner config is larger than 4 MiB: not a config file');
      chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
    }
    const text = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, ''); // a BOM only at the start
    let cfg: unknown;
    try {
      cfg = JSON.parse(text);
    } catch (e) {
      throw new Error(`Harden-Runner config is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    if (!isObj(cfg)) throw new Error('Harden-Runner config is not a JSON object');
    const egress = typeof cfg.egress_policy === 'string' ? cfg.egress_policy.trim().toLowerCase() : null;
    if (cfg.egress_policy !== undefined && egress !== 'audit' && egress !== 'block') {
      sink.warn(1, `egress_policy ${JSON.stringify(cfg.egress_policy)} is neither "audit" nor "block"`);
    }
    const allowed = splitEndpoints(cfg.allowed_endpoints);
    if (cfg.allowed_endpoints !== undefined && typeof cfg.allowed_endpoints !== 'string' && !Array.isArray(cfg.allowed_endpoints)) {
      sink.warn(1, 'allowed_endpoints is neither a string nor an array: ignored');
    }
    const extras: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(cfg)) {
      if (k !== 'allowed_endpoints' && k !== 'repo' && k !== 'run_id') extras[k] = v;
    }
    const run: RunInfo = { producer: { name: 'harden-runner' }, harden_runner: extras };
    if (typeof cfg.repo === 'string') run.repository = cfg.repo;
    if (typeof cfg.run_id === 'string' || typeof cfg.run_id === 'number') run.run_id = cfg.run_id;
    sink.run(run);
    if (allowed.length > 0 || egress === 'block') {
      sink.policy({ egress_policy: egress ?? 'audit', allowed_endpoints: allowed, origin: 'harden-runner' });
    }
  },
};
