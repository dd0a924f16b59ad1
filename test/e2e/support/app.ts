/** Helpers shared by the browser tests: open the served app, wait for its announced state, ask the API for truth. */
import { expect, type Page } from '@playwright/test';
import path from 'node:path';
import { ROOT } from './serve-process';

export const SHOTS = path.join(ROOT, 'test-results', 'screenshots');

export function serveUrl(): string {
  const u = process.env.RUNLENS_E2E_URL;
  if (!u) throw new Error('RUNLENS_E2E_URL is not set: run through playwright.config.ts (global setup)');
  return u;
}

/** Collects CSP violations and page errors; `check()` fails the test when there were any. */
export function watchPage(page: Page): { check(): void } {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  return { check: () => expect(problems).toEqual([]) };
}

export async function openApp(page: Page, url = serveUrl(), hash = ''): Promise<void> {
  await page.goto(url);
  if (hash) {
    // The token swap leaves `/?case=<id>`: keep the case, add the selection.
    const u = new URL(page.url());
    u.hash = hash;
    await page.goto(u.toString());
  }
  await page.waitForFunction(() => document.body.dataset.appState === 'ready');
}

const CASE_LESS = ['cases.list', 'cases.open', 'import.start', 'import.status', 'import.cancel'];

/**
 * One API call from inside the page (same cookie, same transport as the app): a case method is about the case the
 * page's URL names.
 */
export async function apiFromPage<T>(page: Page, method: string, params: unknown = {}): Promise<T> {
  const env = await page.evaluate(
    async ([m, p, caseLess]) => {
      const c = new URLSearchParams(location.search).get('case');
      const route = caseLess.includes(m) ? `/api/${m}` : `/api/cases/${c}/${m}`;
      const r = await fetch(route, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(p),
      });
      return r.json();
    },
    [method, params, CASE_LESS] as const,
  );
  if (!env.ok) throw new Error(env.error);
  return env.value as T;
}

/**
 * Waits until every pane shows its data: no placeholder rows in the Network calls table or the Build log, no
 * "loading…" text, no busy pane, no timeline fetch pending, no process tree pan still animating; then two frames
 * so the canvases have painted.
 */
export async function settled(page: Page): Promise<void> {
  // twice, two frames apart: a click's follow-up requests (explain, then the tree's reveal) start from effects
  // that run after the first answer has rendered; `data-api-pending` (renderer/src/transport.ts) counts them
  await quiet(page);
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  await quiet(page);
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

async function quiet(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      if ((document.documentElement.dataset.apiPending ?? '0') !== '0') return false;
      if (document.querySelector('.net-row.placeholder, .log-line.placeholder, [aria-busy="true"], .pt-viewport[data-animating="true"]')) return false;
      if ([...document.querySelectorAll('[data-pending]')].some((e) => e.getAttribute('data-pending') !== '0')) return false;
      return ![...document.querySelectorAll('p, span, div')].some((e) => e.childElementCount === 0 && /^loading…$/i.test(e.textContent?.trim() ?? ''));
    },
    undefined,
    { timeout: 15_000 },
  );
}

/** A screenshot of the settled page into test-results/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}
