/**
 * Where things are in a JSON document (already known to be valid JSON): the span of a top-level key's value and of
 * each element of an array. Lets manifest steps and detections keep their own line and raw text.
 */

function skipWs(t: string, i: number): number {
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) i++;
    else break;
  }
  return i;
}

function skipString(t: string, i: number): number {
  // t[i] === '"'
  i++;
  while (i < t.length) {
    const c = t[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return i;
}

/** Index just after the value that starts at `i`. */
export function skipValue(t: string, i: number): number {
  i = skipWs(t, i);
  const c = t[i];
  if (c === '"') return skipString(t, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    while (i < t.length) {
      const d = t[i];
      if (d === '"') {
        i = skipString(t, i);
        continue;
      }
      if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < t.length && !/[\s,\]}]/.test(t[i]!)) i++;
  return i;
}

/** Start index of the value of `key` in the top-level object, or -1. */
export function topLevelValueStart(t: string, key: string): number {
  let i = skipWs(t, 0);
  if (t[i] !== '{') return -1;
  i++;
  for (;;) {
    i = skipWs(t, i);
    if (t[i] !== '"') return -1;
    const kEnd = skipString(t, i);
    let k: unknown;
    try {
      k = JSON.parse(t.slice(i, kEnd));
    } catch {
      return -1;
    }
    i = skipWs(t, kEnd);
    if (t[i] !== ':') return -1;
    const vStart = skipWs(t, i + 1);
    if (k === key) return vStart;
    i = skipWs(t, skipValue(t, vStart));
    if (t[i] !== ',') return -1;
    i++;
  }
}

/** [start, end) of each element of the array whose '[' is at `start`. */
export function arrayElementSpans(t: string, start: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = skipWs(t, start);
  if (t[i] !== '[') return out;
  i = skipWs(t, i + 1);
  if (t[i] === ']') return out;
  while (i < t.length) {
    const s = skipWs(t, i);
    const e = skipValue(t, s);
    out.push([s, e]);
    i = skipWs(t, e);
    if (t[i] !== ',') break;
    i++;
  }
  return out;
}

/** 1-based line numbers for a sorted list of offsets, in one pass. */
export function linesOf(t: string, offsets: number[]): number[] {
  const out: number[] = [];
  let line = 1;
  let pos = 0;
  for (const off of offsets) {
    for (; pos < off && pos < t.length; pos++) if (t.charCodeAt(pos) === 0x0a) line++;
    out.push(line);
  }
  return out;
}

/**
 * Offset of the first syntax error in a JSON text (JSON.parse does not always say where), or -1 when it is valid.
 * A plain recursive-descent check; depth is capped so hostile nesting cannot overflow the stack.
 */
export function jsonErrorOffset(t: string): number {
  let i = 0;
  const MAX_DEPTH = 10_000;
  class Bad extends Error {
    constructor(readonly at: number) {
      super('bad');
    }
  }
  const fail = (): never => {
    throw new Bad(i);
  };
  const ws = () => {
    i = skipWs(t, i);
  };
  const str = () => {
    if (t[i] !== '"') fail();
    i++;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c === 0x5c) {
        const e = t[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6))) fail();
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          fail();
        }
      } else i++;
    }
    fail();
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail();
    ws();
    const c = t[i];
    if (c === '{') {
      i++;
      ws();
      if (t[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        if (t[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (t[i] === ',') {
          i++;
          continue;
        }
        if (t[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (t[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (t[i] === ',') {
          i++;
          continue;
        }
        if (t[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(t.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value(0);
    ws();
    if (i < t.length) fail();
    return -1;
  } catch (e) {
    if (e instanceof Bad) return e.at;
    return i;
  }
}
