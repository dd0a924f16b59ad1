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
  if (hash) await page.goto(new URL(page.url()).origin + '/' + hash);
  await page.waitForFunction(() => document.body.dataset.appState === 'ready');
}

/** One API call from inside the page (same cookie, same transport as the app). */
export async function apiFromPage<T>(page: Page, method: string, params: unknown = {}): Promise<T> {
  const env = await page.evaluate(
    async ([m, p]) => {
      const r = await fetch(`/api/${m}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(p),
      });
      return r.json();
    },
    [method, params] as const,
  );
  if (!env.ok) throw new Error(env.error);
  return env.value as T;
}

export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
