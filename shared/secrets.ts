/**
 * Secrets in evidence text: the one list of token formats, used both to DETECT a secret printed in a log
 * (electron/analysis/detections/secrets-in-logs.ts) and to MASK secrets wherever text is shown — the app, the CLI's
 * output and reports — unless the analyst explicitly asked to reveal them (an action the action log records).
 * Pure: no Node, no DOM.
 *
 * Home-made on purpose: the formats are the published prefixes of each issuer (GitHub, AWS, Slack, npm, GitLab,
 * Google, JWT, PEM keys) plus credentials in `Authorization:` headers and `user:password@` URLs; a general secret
 * scanner would bring hundreds of formats and entropy guesses whose false positives would mask evidence.
 */

export interface SecretFormat {
  id: string;
  /** Human name, shown in a finding's title. */
  name: string;
  /** Global regular expression; group `secret` (when present) is the part to mask, else the whole match. */
  re: RegExp;
}

/** The formats, most specific first. Every `re` is global; use `findSecrets` / `maskSecrets`, not `re` directly. */
export const SECRET_FORMATS: readonly SecretFormat[] = [
  { id: 'github-pat-fine', name: 'GitHub fine-grained token', re: /\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b/g },
  { id: 'github-token', name: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,251}\b/g },
  { id: 'aws-access-key', name: 'AWS access key id', re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { id: 'slack-token', name: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { id: 'npm-token', name: 'npm token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { id: 'gitlab-token', name: 'GitLab token', re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { id: 'google-api-key', name: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { id: 'jwt', name: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { id: 'private-key', name: 'private key', re: /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/g },
  {
    id: 'auth-header',
    name: 'credential in an Authorization header',
    // The credential after the scheme; GitHub's own masking (`***`) is not a secret.
    re: /\b(?:authorization|proxy-authorization)\s*[:=]\s*(?:bearer|basic|token|bot)\s+(?<secret>(?!\*\*\*)[A-Za-z0-9+/=._~-]{8,})/gi,
  },
  { id: 'url-password', name: 'password in a URL', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:(?<secret>(?!\*\*\*)[^\s@/]{3,})@/gi },
];

export interface SecretHit {
  format: SecretFormat;
  /** Where the secret (the part that gets masked) is in the text. */
  start: number;
  end: number;
}

/** Every secret in `text`, in order, not overlapping (an earlier, then a more specific format wins). */
export function findSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const format of SECRET_FORMATS) {
    format.re.lastIndex = 0;
    for (const m of text.matchAll(format.re)) {
      const g = m.groups?.secret;
      const start = g !== undefined ? m.index + m[0].lastIndexOf(g) : m.index;
      const end = start + (g ?? m[0]).length;
      if (hits.some((h) => start < h.end && h.start < end)) continue;
      hits.push({ format, start, end });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** Quick test before the full scan: does the text contain anything a format starts with? */
const HINT = /gh[pousr]_|github_pat_|AKIA|ASIA|xox[abposr]-|npm_|glpat-|AIza|eyJ|PRIVATE KEY|authorization|:\/\/[^\s/@]+:[^\s/@]+@/i;

/** Cheap pre-check: false means `text` certainly holds no secret. */
export function maySecret(text: string): boolean {
  return HINT.test(text);
}

export function hasSecret(text: string): boolean {
  return HINT.test(text) && findSecrets(text).length > 0;
}

/** How a masked secret looks: its format and its first 4 characters, so two different secrets stay apart. */
export function maskOf(secret: string, format: SecretFormat): string {
  const keep = format.id === 'private-key' ? secret : secret.slice(0, 4);
  return format.id === 'private-key' ? keep : `${keep}…[masked ${format.id}]`;
}

/** `text` with every secret replaced by its mask. */
export function maskSecrets(text: string): string {
  if (!HINT.test(text)) return text;
  const hits = findSecrets(text);
  if (hits.length === 0) return text;
  let out = '';
  let at = 0;
  for (const h of hits) {
    out += text.slice(at, h.start) + maskOf(text.slice(h.start, h.end), h.format);
    at = h.end;
  }
  return out + text.slice(at);
}

/** Mask each of a list (process arguments). */
export function maskAll(list: readonly string[]): string[] {
  return list.map(maskSecrets);
}

/** Mask when `mask` is true (the default everywhere), else give the text back as it is. */
export function maybeMask(text: string, mask: boolean): string;
export function maybeMask(text: string | null, mask: boolean): string | null;
export function maybeMask(text: string | null, mask: boolean): string | null {
  return text === null || !mask ? text : maskSecrets(text);
}

/** A copy of `value` (API results, JSON documents) with every string's secrets masked; keys are left as they are. */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskSecrets(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = maskDeep(value[i] as unknown);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const m = maskDeep(v);
      if (m !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = m;
    }
    return (out ?? value) as T;
  }
  return value;
}
