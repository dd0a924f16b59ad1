/**
 * How evidence text is made visible (issue 11 #6). Pure: no Node, no DOM; used by the renderer wherever text from
 * a bundle is drawn (domains, log lines, step and process names, Details), in DOM and on canvas alike.
 *
 * Text from a bundle is the attacker's. What it may not do on screen:
 * - reorder itself: bidi overrides, embeddings, isolates and marks (`\u202Emoc.buhtig` drawn as `github.com`);
 * - hide characters: zero-width characters, other default-ignorable code points (soft hyphen, variation selectors,
 *   tags, Hangul fillers …), C0/C1 controls, line and paragraph separators, lone surrogates;
 * - pass a host off as another: mixed scripts in one label (`gіthub.com` with a Cyrillic і), labels written only in
 *   look-alike letters (`аррӏе`), full-width forms, and any non-ASCII host without its punycode beside it.
 * Each such character becomes a visible mark (`⟨RLO⟩`, `⟨ZWSP⟩`, `⟨U+E0041⟩`) and each host a list of warnings.
 * The CLI escapes the same set (electron/cli/escape.ts); this module says how the app shows it.
 */

export type EvidencePiece = { text: string } | { mark: string; code: number; title: string };

/** Short names of the characters an attacker uses most; others are shown as `U+XXXX`. */
const NAMES: Record<number, [string, string]> = {
  0x061c: ['ALM', 'Arabic letter mark'],
  0x200e: ['LRM', 'left-to-right mark'],
  0x200f: ['RLM', 'right-to-left mark'],
  0x202a: ['LRE', 'left-to-right embedding'],
  0x202b: ['RLE', 'right-to-left embedding'],
  0x202c: ['PDF', 'pop directional formatting'],
  0x202d: ['LRO', 'left-to-right override'],
  0x202e: ['RLO', 'right-to-left override'],
  0x2066: ['LRI', 'left-to-right isolate'],
  0x2067: ['RLI', 'right-to-left isolate'],
  0x2068: ['FSI', 'first strong isolate'],
  0x2069: ['PDI', 'pop directional isolate'],
  0x200b: ['ZWSP', 'zero-width space'],
  0x200c: ['ZWNJ', 'zero-width non-joiner'],
  0x200d: ['ZWJ', 'zero-width joiner'],
  0x2060: ['WJ', 'word joiner'],
  0xfeff: ['ZWNBSP', 'zero-width no-break space (byte order mark)'],
  0x00ad: ['SHY', 'soft hyphen'],
  0x2028: ['LSEP', 'line separator'],
  0x2029: ['PSEP', 'paragraph separator'],
  0x7f: ['DEL', 'delete'],
  0x1b: ['ESC', 'escape'],
  0x0d: ['CR', 'carriage return'],
  0x0a: ['LF', 'line feed'],
  0x00: ['NUL', 'null'],
};

/** Bidi controls: they change the order in which the text around them is drawn. */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * Every code point drawn as a mark: C0 controls but TAB, DEL, C1, bidi controls, Unicode's default-ignorable code
 * points (zero width, fillers, variation selectors, tags, …), line/paragraph separators, lone surrogates.
 * One character class (code points: the `u` flag), so the scan is linear.
 */
const HIDDEN =
  // Combining marks (U+034F, variation selectors) are in the class on purpose: each is matched alone and marked.
  // eslint-disable-next-line no-misleading-character-class
  /[\x00-\x08\x0a-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\u{1d173}-\u{1d17a}\u{e0000}-\u{e0fff}\ud800-\udfff]/gu;

function hex(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}

function markOf(s: string): { mark: string; code: number; title: string } {
  const cp = s.codePointAt(0)!;
  const n = NAMES[cp];
  if (n) return { mark: `⟨${n[0]}⟩`, code: cp, title: `U+${hex(cp)} ${n[1]}` };
  if (cp >= 0xd800 && cp <= 0xdfff) return { mark: `⟨U+${hex(cp)}⟩`, code: cp, title: `U+${hex(cp)} lone surrogate` };
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return { mark: `⟨U+${hex(cp)}⟩`, code: cp, title: `U+${hex(cp)} control character` };
  return { mark: `⟨U+${hex(cp)}⟩`, code: cp, title: `U+${hex(cp)} invisible character` };
}

/** The text cut into what is drawn as is and the marks that stand for hidden characters, in order. */
export function evidencePieces(s: string): EvidencePiece[] {
  const out: EvidencePiece[] = [];
  let last = 0;
  HIDDEN.lastIndex = 0;
  for (let m = HIDDEN.exec(s); m; m = HIDDEN.exec(s)) {
    if (m.index > last) out.push({ text: s.slice(last, m.index) });
    out.push(markOf(m[0]));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push({ text: s.slice(last) });
  return out;
}

/** Whether the text holds anything drawn as a mark. */
export function hasHidden(s: string): boolean {
  HIDDEN.lastIndex = 0;
  return HIDDEN.test(s);
}

/** One string with every hidden character replaced by its mark (for canvas labels, titles, copy-free places). */
export function visibleText(s: string): string {
  if (!hasHidden(s)) return s;
  return evidencePieces(s)
    .map((p) => ('text' in p ? p.text : p.mark))
    .join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Hosts

/**
 * Punycode (RFC 3492) of one label. Our own few lines rather than the platform's IDNA (URL / domainToASCII): IDNA
 * MAPS first (full-width `ｇｉｔｈｕｂ` becomes `github`), which would show the very host being imitated beside the
 * imitation. Here the exact code points are encoded, so what is beside is what the record holds.
 */
export function punycodeLabel(label: string): string {
  const cps = Array.from(label, (c) => c.codePointAt(0)!);
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const digit = (d: number) => String.fromCharCode(d + 22 + 75 * (d < 26 ? 1 : 0));
  const adapt = (delta: number, numPoints: number, first: boolean) => {
    let k = 0;
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / numPoints);
    for (; delta > ((base - tMin) * tMax) >> 1; k += base) delta = Math.floor(delta / (base - tMin));
    return Math.floor(k + ((base - tMin + 1) * delta) / (delta + skew));
  };
  let out = cps.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join('');
  const b = out.length;
  let h = b;
  if (b > 0) out += '-';
  let n = 0x80, delta = 0, bias = 72;
  while (h < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = base; ; k += base) {
          const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
          if (q < t) break;
          out += digit(t + ((q - t) % (base - t)));
          q = Math.floor((q - t) / (base - t));
        }
        out += digit(q);
        bias = adapt(delta, h + 1, h === b);
        delta = 0;
        h++;
      }
    }
    delta++;
    n++;
  }
  return out;
}

/** The host in ASCII: each non-ASCII label as `xn--…`. */
export function hostToAscii(host: string): string {
  return host.split('.').map((l) => (/^[\x00-\x7f]*$/.test(l) ? l : 'xn--' + punycodeLabel(l.toLowerCase()))).join('.');
}

/** Cyrillic, Greek, Armenian and full-width letters that are drawn like Latin ones (a subset of Unicode's confusables). */
const LOOKALIKE: Record<string, string> = {
  а: 'a', в: 'b', с: 'c', ԁ: 'd', е: 'e', һ: 'h', і: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', н: 'h', о: 'o', р: 'p',
  ԛ: 'q', ѕ: 's', т: 't', ս: 'u', ѵ: 'v', ԝ: 'w', х: 'x', у: 'y', ү: 'y', ɡ: 'g', ı: 'i', ɑ: 'a',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
  օ: 'o', ց: 'g', հ: 'h', ո: 'n', ռ: 'n',
};

function skeletonChar(c: string): string {
  const cp = c.codePointAt(0)!;
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0).toLowerCase(); // full-width ASCII
  return LOOKALIKE[c] ?? c;
}

type Script = 'Latin' | 'Cyrillic' | 'Greek' | 'Armenian' | 'Han' | 'Arabic' | 'Hebrew' | 'other';
const SCRIPTS: [Script, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Han', /\p{Script=Han}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
];

function scriptOf(c: string): Script | null {
  if (!/\p{L}/u.test(c)) return null;
  for (const [s, re] of SCRIPTS) if (re.test(c)) return s;
  return 'other';
}

export interface HostCheck {
  host: string;
  /** Anything to warn about (empty: a plain ASCII host). */
  warnings: string[];
  /** The punycode form, for a host with non-ASCII characters (shown beside it). */
  ascii: string | null;
  /** The ASCII host it imitates, when its look-alike letters spell one (shown as "looks like …"). */
  looksLike: string | null;
}

/** What is suspicious about a host name, for the badge beside it. */
export function checkHost(host: string): HostCheck {
  const warnings: string[] = [];
  if (hasHidden(host)) warnings.push(BIDI_CONTROLS.test(host) ? 'bidi control characters' : 'invisible characters');
  const nonAscii = /[^\x00-\x7f]/.test(host);
  let looksLike: string | null = null;
  if (nonAscii) {
    warnings.push('non-ASCII characters');
    for (const label of host.split('.')) {
      const scripts = new Set<Script>();
      for (const c of label) {
        const s = scriptOf(c);
        if (s) scripts.add(s);
      }
      if (scripts.size > 1) {
        warnings.push(`mixed scripts in "${visibleText(label)}" (${[...scripts].join(' + ')})`);
        break;
      }
    }
    const skeleton = Array.from(host.toLowerCase(), skeletonChar).join('');
    if (skeleton !== host.toLowerCase() && /^[\x20-\x7e]*$/.test(skeleton)) {
      looksLike = skeleton;
      warnings.push(`looks like ${skeleton}`);
    }
  }
  if (/(^|\.)xn--/i.test(host)) warnings.push('punycode (internationalised) label');
  return { host, warnings, ascii: nonAscii ? hostToAscii(host) : null, looksLike };
}
