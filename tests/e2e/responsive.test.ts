import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness';
import { seedWalk, stops, type WalkData } from './walk';

// The real bank: the walk needs a chapter with display math, a choice and a code item.
const e2e = useServerAndBrowser();
let data: WalkData;

beforeAll(async () => {
  const page = await e2e.browser.newPage();
  data = await seedWalk(page, e2e.server.url);
  await page.close();
});

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

async function withPage<T>(browser: Browser, options: BrowserContextOptions, use: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext(options);
  try {
    return await use(await context.newPage());
  } finally {
    await context.close();
  }
}

/** Relative luminance (0 black … 1 white) of an element's computed colour property; NaN (fails any bound) when transparent. */
function luminance(page: Page, selector: string, property: 'backgroundColor' | 'color' | 'fill'): Promise<number> {
  return page.locator(selector).first().evaluate((el, prop) => {
    const [r, g, b, alpha] = getComputedStyle(el)[prop].match(/[\d.]+/g)!.map(Number);
    if (alpha === 0) return Number.NaN; // transparent: says nothing about what the learner sees
    const [rs, gs, bs] = [r!, g!, b!].map((v) => v / 255);
    const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(rs!) + 0.7152 * lin(gs!) + 0.0722 * lin(bs!);
  }, property);
}

/** Visible controls a finger has to hit (inline links in running text are exempt, as in WCAG 2.5.8). */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = 'button, .button, select, input[type="text"], input[type="email"], input[type="password"], .site-nav a';
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => el.checkVisibility() && !el.closest('.cm-editor'))
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.height < 44)
      .map(({ el, box }) => `${(el.innerText || el.getAttribute('aria-label') || el.tagName).trim().slice(0, 20)} (${Math.round(box.height)} px)`);
  });
}

describe('phones and dark mode in Chromium', () => {
  it('fits every page into 360 and 390 px, with touch targets of at least 44 px and no keyboard hints', async () => {
    for (const width of [360, 390]) {
      await withPage(e2e.browser, { ...PHONE, viewport: { width, height: 844 } }, async (page) => {
        const overflow: string[] = [];
        const small: string[] = [];
        let hintsSeen = 0;
        for (const stop of stops(data)) {
          const response = await page.goto(e2e.server.url + stop.path);
          expect(response?.status(), stop.name).toBe(stop.name === 'not-found' ? 404 : 200);
          await stop.ready(page);
          // A mobile viewport widens itself to fit what overflows: innerWidth stays the screen's only when nothing does.
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
          if (innerWidth !== width || scrollWidth > innerWidth) overflow.push(`${stop.name}: ${scrollWidth} px in ${innerWidth} px`);
          small.push(...(await smallTargets(page)).map((t) => `${stop.name}: ${t}`));
          const hints = page.locator('.kbd-hint');
          hintsSeen += await hints.count();
          for (const hint of await hints.all()) expect(await hint.isVisible(), `${stop.name}: ${await hint.textContent()}`).toBe(false);
        }
        expect({ width, overflow, small }).toEqual({ width, overflow: [], small: [] });
        expect(hintsSeen).toBeGreaterThan(0); // the hints exist on the practice pages, they are only hidden
      });
    }
  });

  it('puts the header menu behind one button on a phone, each entry on one line', async () => {
    await withPage(e2e.browser, PHONE, async (page) => {
      await page.goto(`${e2e.server.url}/review`);
      const header = await page.locator('.site-header').boundingBox();
      expect(header!.height).toBeLessThanOrEqual(64);
      const menu = page.getByRole('button', { name: 'メニュー' });
      const review = page.locator('.site-nav').getByRole('link', { name: '今日の復習' });
      await expect(review.isVisible()).resolves.toBe(false);
      await menu.click();
      await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true');
      const box = (await review.boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.height).toBeLessThan(60); // one line, not one character per line
      expect(box.width).toBeGreaterThan(300);
      await expect(review.getAttribute('aria-current')).resolves.toBe('page');
      await page.locator('.site-nav').getByRole('link', { name: '進捗' }).click();
      await page.waitForURL(/\/progress$/);
      await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
      await expect(review.isVisible()).resolves.toBe(false);
    });
  });

  it('shows the editor shortcut with the modifier of the learner’s system', async () => {
    const codeStop = stops(data).find((s) => s.name === 'practice-code')!;
    const hintOn = (options: BrowserContextOptions, platform?: string) =>
      withPage(e2e.browser, options, async (page) => {
        if (platform)
          await page.addInitScript((p) => {
            Object.defineProperty(Navigator.prototype, 'platform', { get: () => p });
            Object.defineProperty(Navigator.prototype, 'userAgentData', { get: () => undefined });
          }, platform);
        await page.goto(e2e.server.url + codeStop.path);
        await codeStop.ready(page);
        const hint = page.locator('.code-answer .kbd-hint');
        return { visible: await hint.isVisible(), text: await hint.innerText() };
      });
    await expect(hintOn(DESKTOP)).resolves.toEqual({ visible: true, text: '（Shift+Enter で実行、Ctrl+Enter で提出）' });
    await expect(hintOn(DESKTOP, 'MacIntel')).resolves.toEqual({ visible: true, text: '（Shift+Enter で実行、⌘+Enter で提出）' });
  });

  it('follows the system’s dark scheme, and the learner’s choice overrides it across a reload', async () => {
    await withPage(e2e.browser, { ...PHONE, colorScheme: 'dark' }, async (page) => {
      await page.goto(e2e.server.url);
      await expect(page.locator('html').getAttribute('data-theme')).resolves.toBeNull();
      expect(await luminance(page, 'body', 'backgroundColor')).toBeLessThan(0.05);
      expect(await luminance(page, 'body', 'color')).toBeGreaterThan(0.6);

      // The editor, the math and the charts are dark too.
      const codeStop = stops(data).find((s) => s.name === 'practice-code')!;
      await page.goto(e2e.server.url + codeStop.path);
      await codeStop.ready(page);
      expect(await luminance(page, '.code-editor .cm-editor', 'backgroundColor')).toBeLessThan(0.05);
      expect(await luminance(page, '.code-editor .cm-content', 'color')).toBeGreaterThan(0.6);
      expect(await luminance(page, '.prompt .katex', 'color')).toBeGreaterThan(0.6);
      await page.goto(`${e2e.server.url}/progress`);
      await page.locator('.recharts-surface').first().waitFor();
      expect(await luminance(page, '.recharts-cartesian-axis-tick-value', 'fill')).toBeGreaterThan(0.2);
      expect(await luminance(page, '.recharts-bar-rectangle path', 'fill')).toBeLessThan(0.2);

      await page.getByRole('button', { name: 'メニュー' }).click();
      await page.getByRole('button', { name: 'ライト' }).click();
      expect(await luminance(page, 'body', 'backgroundColor')).toBeGreaterThan(0.8);
      const reloaded = await page.reload();
      // The server renders the choice (no script runs before the first paint).
      expect(await reloaded!.text()).toMatch(/<html[^>]* data-theme="light"/);
      expect(await luminance(page, 'body', 'backgroundColor')).toBeGreaterThan(0.8);
      await page.getByRole('button', { name: 'メニュー' }).click();
      await expect(page.getByRole('button', { name: 'ライト' }).getAttribute('aria-pressed')).resolves.toBe('true');

      await page.getByRole('button', { name: 'システム' }).click();
      await page.reload();
      await expect(page.locator('html').getAttribute('data-theme')).resolves.toBeNull();
      expect(await luminance(page, 'body', 'backgroundColor')).toBeLessThan(0.05);
    });

    await withPage(e2e.browser, { ...DESKTOP, colorScheme: 'light' }, async (page) => {
      await page.goto(e2e.server.url);
      expect(await luminance(page, 'body', 'backgroundColor')).toBeGreaterThan(0.8);
      await page.getByRole('button', { name: 'ダーク' }).click();
      await page.reload();
      await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
      expect(await luminance(page, 'body', 'backgroundColor')).toBeLessThan(0.05);
    });
  });

  it('answers an unknown address with a Japanese 404 page and a way home', async () => {
    await withPage(e2e.browser, PHONE, async (page) => {
      const response = await page.goto(`${e2e.server.url}/no-such-page`);
      expect(response?.status()).toBe(404);
      await expect(page.locator('h1').innerText()).resolves.toBe('ページが見つかりません');
      await expect(page.title()).resolves.toBe('ページが見つかりません — 確認 Kakunin');
      await page.getByRole('link', { name: 'ホームへ戻る' }).click();
      await page.waitForURL(`${e2e.server.url}/`);
      await expect(page.locator('h1').first().innerText()).resolves.toBe('章を選んで演習をはじめる');
    });
  });
});
