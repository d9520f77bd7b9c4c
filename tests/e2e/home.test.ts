import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness';

// The real bank: 13 chapters, so the chapter list is longer than any screen.
const e2e = useServerAndBrowser();

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

async function call(procedure: string, input: unknown): Promise<unknown> {
  const res = await fetch(`${e2e.server.url}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: unknown } }).result.data;
}

async function startPractice(chapter: string): Promise<number> {
  return ((await call('sessions.start', { chapters: [chapter], count: 3, order: 'course' })) as { sessionId: number }).sessionId;
}

interface Box {
  top: number;
  bottom: number;
  height: number;
}
const boxOf = (page: Page, selector: string): Promise<Box> =>
  page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: r.height };
  });

describe('home page', () => {
  for (const [name, device] of [
    ['390×844 phone', PHONE],
    ['1280×800 desktop', DESKTOP],
  ] as const) {
    it(`keeps the start bar on screen below the chapters at ${name}, covering no checkbox at the end`, async () => {
      // Two unfinished sessions above the form, as a returning learner has them.
      await startPractice('rnn');
      await startPractice('lstm');
      const context = await e2e.browser.newContext(device);
      const page = await context.newPage();
      try {
        await page.goto(e2e.server.url);
        await page.locator('[aria-label="途中のセッション"] li').first().waitFor();
        const innerHeight = await page.evaluate(() => window.innerHeight);
        expect(await page.evaluate(() => window.scrollY)).toBe(0);

        // The last chapter is below the screen (so the bar is on screen because it sticks, not because the page is short)…
        const lastChapter = await boxOf(page, '.chapter-card:last-child');
        expect(lastChapter.top).toBeGreaterThan(innerHeight);
        // …and the start button is inside the screen, 44 px high or more, with the summary beside it.
        const start = page.getByRole('button', { name: '演習を開始' });
        const button = await boxOf(page, '.start-bar button[type="submit"]');
        expect(button.top).toBeGreaterThanOrEqual(0);
        expect(button.bottom).toBeLessThanOrEqual(innerHeight);
        expect(button.height).toBeGreaterThanOrEqual(44);
        await expect(start.isDisabled()).resolves.toBe(true);
        await expect(page.locator('.start-summary').innerText()).resolves.toBe('章を選んでください');

        // Choosing a chapter updates the bar without scrolling.
        await page.locator('input[name="chapter"][value="rnn"]').check();
        await expect(page.locator('.start-summary').innerText()).resolves.toBe('1 章・10 問を出題');
        await expect(start.isEnabled()).resolves.toBe(true);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(device.viewport!.width);

        // At the end of the page the bar rests below the options: the last chapter's checkbox is clear of it and clickable.
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        const last = page.locator('.chapter-card:last-child input[name="chapter"]');
        await last.scrollIntoViewIfNeeded();
        const [checkbox, bar] = [await boxOf(page, '.chapter-card:last-child input[name="chapter"]'), await boxOf(page, '.start-bar')];
        expect(checkbox.bottom).toBeLessThanOrEqual(bar.top);
        await last.click();
        await expect(page.locator('.start-summary').innerText()).resolves.toBe('2 章・10 問を出題');

        // The bar starts the session.
        await start.click();
        await page.waitForURL(/\/sessions\/\d+$/);
      } finally {
        await context.close();
      }
    });
  }

  it('discards an unfinished session after confirmation; the list stays that way after a reload', async () => {
    const kept = await startPractice('gru');
    const discarded = await startPractice('birnn');
    const page = await e2e.browser.newPage();
    try {
      await page.goto(e2e.server.url);
      const row = page.locator(`[aria-label="途中のセッション"] li[data-session-id="${discarded}"]`);
      await row.waitFor();
      const discard = row.getByRole('button', { name: /^破棄: / });

      // 「やめる」 keeps it.
      await discard.click();
      const dialog = page.getByRole('dialog', { name: 'このセッションを破棄しますか？' });
      await dialog.waitFor();
      await expect(dialog.innerText()).resolves.toContain('すでに答えた問題の記録は進捗と復習に残ります。');
      await dialog.getByRole('button', { name: 'やめる' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect(row.count()).resolves.toBe(1);

      // 「破棄する」 removes it from the list; the other session stays.
      await discard.click();
      await dialog.getByRole('button', { name: '破棄する' }).click();
      await row.waitFor({ state: 'detached' });
      const kept1 = page.locator(`li[data-session-id="${kept}"]`);
      await expect(kept1.count()).resolves.toBe(1);

      await page.reload();
      await kept1.waitFor();
      await expect(row.count()).resolves.toBe(0);
      const list = (await (
        await fetch(`${e2e.server.url}/api/trpc/sessions.list?input=${encodeURIComponent(JSON.stringify({ limit: 50 }))}`)
      ).json()) as { result: { data: { id: number; discardedAt: number | null; finishedAt: number | null }[] } };
      const row1 = list.result.data.find((s) => s.id === discarded);
      expect(row1?.discardedAt).toEqual(expect.any(Number));
      expect(row1?.finishedAt).toBe(row1?.discardedAt);
      expect(list.result.data.find((s) => s.id === kept)).toMatchObject({ discardedAt: null, finishedAt: null });
    } finally {
      await page.close();
    }
  });
});
