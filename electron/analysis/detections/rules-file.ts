/**
 * User rules and IOC lists: a YAML or JSON file given at import (`runlens import --rules FILE`). Read and checked
 * once (a bad file is an error naming the file and the entry), kept in the case's `meta.rules` with its sha256 so
 * the analysis — and a later re-analysis such as a clock re-offset — applies exactly the same rules.
 *
 * ```yaml
 * rules:
 *   - id: no-wget                 # letters, digits, . _ -
 *     title: wget in a build step
 *     severity: medium            # critical | high | medium | low | info (default medium)
 *     command: '\bwget\b'         # regular expression on process command lines and log lines
 *     log: 'npm WARN deprecated'  # regular expression on log lines only
 *     endpoint: '*.paste.example' # allow-list style pattern on the calls' endpoints (host[:port], *.suffix)
 *     path: '^/etc/shadow$'       # regular expression on file event paths
 * iocs:
 *   domains: [evil.example, '*.bad.example']
 *   ips: [203.0.113.45]
 *   cidrs: [198.51.100.0/24]
 *   hashes: [<sha256 hex>]         # file events' and tools' sha256
 * ```
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { SEVERITIES } from './types';

const regex = z
  .string()
  .min(1)
  .max(1000)
  .refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');

export const userRuleSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)'),
    title: z.string().min(1).max(300).optional(),
    severity: z.enum(SEVERITIES as unknown as [string, ...string[]]).default('medium'),
    command: regex.optional(),
    log: regex.optional(),
    endpoint: z.string().min(1).max(300).optional(),
    path: regex.optional(),
  })
  .strict()
  .refine((r) => r.command || r.log || r.endpoint || r.path, 'a rule needs command, log, endpoint or path');

const list = z.array(z.string().min(1).max(300)).max(100_000).default([]);
export const rulesFileSchema = z
  .object({
    rules: z.array(userRuleSchema).max(1000).default([]),
    iocs: z.object({ domains: list, ips: list, cidrs: list, hashes: list }).strict().partial().default({}),
  })
  .strict();

export type UserRule = z.infer<typeof userRuleSchema>;
export type RulesSpec = z.infer<typeof rulesFileSchema>;

/** What `meta.rules` holds. */
export interface StoredRules {
  path: string;
  sha256: string;
  bytes: number;
  spec: RulesSpec;
}

export class RulesFileError extends Error {}

export function parseRulesText(text: string, name: string): RulesSpec {
  let doc: unknown;
  try {
    doc = /^\s*[[{]/.test(text) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? `:${e.linePos[0].line}` : '';
    throw new RulesFileError(`${name}${where}: cannot read the rules file: ${(e as Error).message.split('\n')[0]}`);
  }
  const r = rulesFileSchema.safeParse(doc ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new RulesFileError(`${name}: ${i.path.join('.') || '(top)'}: ${i.message}`);
  }
  return r.data;
}

export function readRulesFile(file: string): StoredRules {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    throw new RulesFileError(`${file}: cannot read the rules file: ${(e as Error).message}`);
  }
  if (buf.length > 16 * 1024 * 1024) throw new RulesFileError(`${file}: rules file larger than 16 MiB`);
  const spec = parseRulesText(buf.toString('utf8').replace(/^\uFEFF/, ''), file);
  return { path: file, sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length, spec };
}
