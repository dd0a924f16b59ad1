import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { displayText, LineText, matchRanges } from '../../renderer/src/log/line-text';
import { callPath, pickTransport } from '../../renderer/src/transport';

const html = (raw: string, marker: string | null, query = '') =>
  renderToStaticMarkup(createElement(LineText, { raw, marker, query }));

describe('log line text', () => {
  it('renders bundle text as text, never as HTML', () => {
    const out = html('<img src=x onerror=alert(1)> & <script>x</script>', null);
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;');
  });

  it('turns ANSI colours into styled spans and drops the marker prefix', () => {
    const out = html('##[group]\x1b[36;1mRun npm ci\x1b[0m', 'group');
    // evidence text is drawn as a bidi isolate inside its colour span (renderer/src/evidence)
    expect(out).toMatch(/<span style="color:#[0-9a-f]{6};font-weight:700"><bdi>Run npm ci<\/bdi><\/span>/);
    expect(out).not.toContain('##[group]');
    expect(out).not.toContain('\x1b');
    expect(displayText('##[error]boom', 'error').text).toBe('boom');
    expect(displayText('##[error]boom', null).text).toBe('##[error]boom');
    // GitHub colours echoed commands: the marker can stand behind colour codes, which stay
    expect(displayText('\x1b[36;1m##[group]Run npm ci\x1b[0m', 'group').text).toBe('\x1b[36;1mRun npm ci\x1b[0m');
    expect(html('\x1b[36;1m##[group]Run npm ci\x1b[0m', 'group')).not.toContain('##[group]');
  });

  it('highlights every match across colour spans, case-insensitively', () => {
    expect(matchRanges('Telemetry to TELEMETRY', 'telemetry')).toEqual([
      [0, 9],
      [13, 22],
    ]);
    const out = html('send \x1b[31mtele\x1b[0mmetry now', null, 'telemetry');
    // The match crosses the red span: both parts are marked, the red one keeps its colour.
    expect(out).toMatch(/<mark style="color:#[0-9a-f]{6}"><bdi>tele<\/bdi><\/mark><mark><bdi>metry<\/bdi><\/mark>/);
  });

  it('shows continuation lines as a count and cuts giant lines', () => {
    expect(displayText('first\nsecond\nthird', null)).toEqual({ text: 'first', extraLines: 2 });
    const out = html('x'.repeat(100_000), null);
    expect(out.length).toBeLessThan(6000);
    expect(out).toContain('more characters');
  });
});

describe('renderer transport choice', () => {
  it('uses the preload bridge when window.runlens is there, HTTP otherwise', async () => {
    const calls: unknown[] = [];
    const bridge = {
      call: async (c: unknown) => {
        calls.push(c);
        return { ok: true as const, value: 42 };
      },
      stageFiles: async (files: File[]) => ({ ok: true as const, value: { uploads: files.map((f) => f.name.length.toString(16).padStart(32, '0')) } }),
    };
    const ipc = pickTransport({ runlens: bridge } as unknown as Window);
    expect(ipc.kind).toBe('ipc');
    const c = { case: '0123456789abcdef01234567', method: 'case.info', params: {} };
    expect(await ipc.call(c)).toEqual({ ok: true, value: 42 });
    expect(calls).toEqual([c]);
    const staged = await ipc.stageFiles([new File(['x'], 'bundle.zip')]);
    expect(staged).toEqual({ uploads: ['0000000000000000000000000000000a'] });
    expect(callPath({ case: null, method: 'cases.list' })).toBe('/api/cases.list');
    expect(callPath({ case: c.case, method: 'case.info' })).toBe(`/api/cases/${c.case}/case.info`);
    expect(pickTransport({} as Window).kind).toBe('http');
  });
});
