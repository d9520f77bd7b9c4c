// A class-based code item (issue 13) as a learner meets it in Chromium: the long class template, an answer typed
// key by key into CodeMirror, the WebGL worker's verdict and then the server's; known mistakes name the value that
// differs. Prints the WebGL verdict times (cold, after the warm-up, warm) and leaves screenshots of the results on
// a phone and a desktop, light and dark, in KAKUNIN_SHOTS (default /tmp/shots, as tests/e2e/screenshots.ts).

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness';

const e2e = useServerAndBrowser();
const SHOTS = process.env.KAKUNIN_SHOTS ?? '/tmp/shots';

const ITEM = 'rnn-cell-class-backward';
const RIGHT = 'np.dot(dt, Wh.T)';
/** Wh not transposed: square, so the shape is right and only the values differ. */
const TRANSPOSED = 'np.dot(dt, Wh)';
/** the tanh derivative (1 - h_next**2) skipped */
const NO_TANH_GRAD = 'np.dot(dh_next, Wh.T)';
/** What the grader says for both mistakes (graders/code/compare.ts, grade-code.ts): the value and the first element. */
const DH_PREV_DIFFERS = /^例のケースで参照実装と一致しません。関数の戻り値: dh_prev の値が違います: 位置 \[0, 0\] で期待 -?\d[\d.e+-]*、実際 -?\d[\d.e+-]*$/;

interface Timing {
  /** 提出 → the browser's verdict on the page (performance marks set by code-answer.tsx) */
  pageMs: number;
  /** the worker's own grading time (the mark's detail) */
  workerMs: number;
}
const timings: Record<string, Timing> = {};

async function api<T>(route: string, body?: unknown): Promise<T> {
  const res = body
    ? await fetch(`${e2e.server.url}/api/trpc/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    : await fetch(`${e2e.server.url}/api/trpc/${route}`);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

/** Starts an rnn session through the API and opens the class item; `warm` waits until the worker has compiled it. */
async function openItem(page: Page, warm: boolean): Promise<void> {
  const { sessionId } = await api<{ sessionId: number }>('sessions.start', { chapters: ['rnn'], count: 100, order: 'course' });
  const view = await api<{ items: { questionId: string }[] }>(`sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`);
  const position = view.items.findIndex((i) => i.questionId === ITEM);
  expect(position).toBeGreaterThanOrEqual(0);
  await page.goto(`${e2e.server.url}/sessions/${sessionId}?backend=webgl`); // WebGL even on a software renderer
  await page.locator('nav[aria-label="問題一覧"] button').nth(position).click();
  await page.locator(`article[data-question-id="${ITEM}"] [data-testid="code-editor"]`).waitFor();
  if (warm) await page.waitForFunction(() => !!document.querySelector('[data-backend]')?.getAttribute('data-backend'), null, { timeout: 90_000 });
}

/** Clears the editor and types the answer key by key, as a learner does (CodeMirror closes and steps over brackets). */
async function typeAnswer(page: Page, code: string): Promise<void> {
  await page.locator('.code-editor .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(code);
  await page.keyboard.press('Escape'); // closes the completion popup, if one opened
  await expect(page.locator('.code-editor .cm-content').innerText()).resolves.toBe(code);
}

/**
 * Holds each of the page's submissions at the network until `release` (so the browser's verdict is seen first);
 * a submission after the release waits for the next `release`.
 */
async function holdSubmissions(page: Page): Promise<() => void> {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  await page.route(
    (url) => url.pathname.includes('sessions.submitCode'),
    async (route) => {
      await gate;
      await route.continue();
    },
  );
  return () => {
    const opening = open;
    gate = new Promise<void>((resolve) => (open = resolve));
    opening();
  };
}

/** Clicks the submit button (提出, or もう一度 after a wrong try) and returns the browser's verdict time. */
async function submit(page: Page, button: '提出' | 'もう一度'): Promise<() => Promise<Timing>> {
  await page.evaluate(() => performance.clearMarks());
  await page.locator('.code-answer').getByRole('button', { name: button, exact: true }).click();
  return async () => {
    await page.waitForFunction(() => performance.getEntriesByName('kakunin:browser-verdict').length > 0, null, { timeout: 90_000 });
    return page.evaluate(() => {
      const mark = performance.getEntriesByName('kakunin:browser-verdict')[0] as PerformanceMark;
      const detail = mark.detail as { backend: string; elapsedMs: number; verdict: string };
      if (detail.backend !== 'webgl') throw new Error(`graded on ${detail.backend}, not webgl`);
      return { pageMs: performance.measure('grade', 'kakunin:submit', 'kakunin:browser-verdict').duration, workerMs: detail.elapsedMs };
    });
  };
}

/** The provisional card of the browser's verdict: on WebGL, with the verdict line and message. */
async function browserVerdict(page: Page): Promise<{ verdict: string; message: string }> {
  const card = page.locator('[data-testid="browser-verdict"]');
  await card.waitFor({ timeout: 90_000 });
  await expect(card.locator('[data-testid="provisional"]').innerText()).resolves.toBe('ブラウザでの判定（確認中…）');
  await expect(card.locator('[data-testid="graded-by"]').innerText()).resolves.toMatch(/^採点: ブラウザ（WebGL・[\d.]+ ms）$/);
  return { verdict: await card.locator('.verdict').innerText(), message: await card.locator('.verdict + p').innerText() };
}

async function recordedBrowserVerdict(page: Page): Promise<unknown> {
  const sessionId = Number(new URL(page.url()).pathname.split('/').pop());
  const view = await api<{ items: { questionId: string; result: { feedback: { code: { browser: unknown } } } | null }[] }>(
    `sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`,
  );
  return view.items.find((i) => i.questionId === ITEM)!.result!.feedback.code.browser;
}

describe('a class-based code item in Chromium', () => {
  // First in the file: the first page of this Chromium, so tfjs starts and the shaders compile during the grading.
  it('grades an answer typed at once on a fresh page right on WebGL (cold), then on the server', async () => {
    const page = await e2e.browser.newPage();
    const release = await holdSubmissions(page);
    await openItem(page, false);
    // The whole class is shown, with its one blank in backward. CodeMirror draws only the lines near the screen:
    // bring the template's end into view before reading it.
    const template = page.locator('[data-testid="template"]').first();
    await template.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await expect.poll(() => template.innerText()).toContain('self.grads[2][...] = db');
    const text = await template.innerText();
    for (const line of ['class RNN:', 'def __init__(self, Wx, Wh, b):', 'def backward(self, dh_next):', 'dh_prev = ___', 'return dx, dh_prev']) {
      expect(text).toContain(line);
    }
    expect(await page.locator('[data-testid="template"]').first().locator('.cm-blank').count()).toBe(1);

    await typeAnswer(page, RIGHT);
    const verdictTime = await submit(page, '提出');
    timings.cold = await verdictTime();
    await expect(browserVerdict(page)).resolves.toEqual({ verdict: '正解（5/5 ケース）', message: '正解です。5 ケースすべてで参照実装と一致しました。' });
    await expect(page.locator('[data-backend]').getAttribute('data-backend')).resolves.toBe('webgl');
    expect(await page.locator('[data-verdict]').count()).toBe(0); // nothing recorded before the server's verdict

    release();
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('correct');
    const result = page.locator('[aria-label="採点結果"]');
    await expect(result.innerText()).resolves.toContain('正解です。5 ケースすべてで参照実装と一致しました。');
    await expect(result.locator('[data-testid="graded-by"]').innerText()).resolves.toMatch(/^採点: サーバー（CPU・[\d.]+ ms）( \/ ブラウザ（WebGL）)?$/);
    await expect(result.innerText()).resolves.toMatch(/模範解答のコード\s+np\.dot\(dt, Wh\.T\)/);
    await expect.poll(() => recordedBrowserVerdict(page), { timeout: 10_000 }).toMatchObject({ verdict: 'correct', backend: 'webgl', passed: 5, total: 5 });
    await page.close();
  });

  it('names dh_prev for a transposed weight and for a skipped tanh derivative, then takes the right answer (warm)', async () => {
    const page = await e2e.browser.newPage();
    const release = await holdSubmissions(page);
    await openItem(page, true);
    await expect(page.locator('[data-backend]').getAttribute('data-backend')).resolves.toBe('webgl');

    const tries: [string, '提出' | 'もう一度', string][] = [
      [TRANSPOSED, '提出', 'afterWarmup'],
      [NO_TANH_GRAD, 'もう一度', 'warmWrong'],
    ];
    for (const [k, [answer, button, label]] of tries.entries()) {
      await typeAnswer(page, answer);
      const verdictTime = await submit(page, button);
      timings[label] = await verdictTime();
      const local = await browserVerdict(page);
      expect(local.verdict).toBe('不正解（0/5 ケース）');
      expect(local.message).toMatch(DH_PREV_DIFFERS);

      release();
      const server = page.locator('[data-testid="server-verdict"]');
      await server.waitFor({ timeout: 60_000 });
      await expect(server.getAttribute('data-verdict-code')).resolves.toBe('incorrect');
      await expect(server.locator('.verdict').innerText()).resolves.toBe('不正解（0/5 ケース）');
      await expect(server.locator('.verdict + p').innerText()).resolves.toMatch(DH_PREV_DIFFERS);
      await expect(page.locator('[data-testid="tries-left"]').innerText()).resolves.toContain(`あと ${2 - k} 回`);
      await expect(page.locator('.code-editor .cm-content').innerText()).resolves.toBe(answer); // kept for the next try
    }

    await typeAnswer(page, RIGHT);
    const verdictTime = await submit(page, 'もう一度');
    timings.warm = await verdictTime();
    await expect(browserVerdict(page)).resolves.toEqual({ verdict: '正解（5/5 ケース）', message: '正解です。5 ケースすべてで参照実装と一致しました。' });
    release();
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    // The first try is the one that counts.
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('incorrect');
    await expect(page.locator('[data-testid="attempts"] p').first().innerText()).resolves.toBe('3 回目で正解しました。成績と復習の予定には 1 回目の判定が使われます。');
    await page.close();

    console.log(
      `[class-items] WebGL verdict for ${ITEM} (提出 → browser verdict on the page / worker's grading time):\n` +
        Object.entries(timings)
          .map(([label, t]) => `  ${label.padEnd(12)} ${t.pageMs.toFixed(0).padStart(6)} ms / ${t.workerMs.toFixed(0).padStart(6)} ms`)
          .join('\n'),
    );
    // Every verdict came in well under the page's limit for a browser run (BROWSER_LIMIT_MS, 30 s), and warm is the fast one.
    for (const t of Object.values(timings)) expect(t.pageMs).toBeLessThan(30_000);
    expect(timings.warm!.workerMs).toBeLessThan(timings.cold!.workerMs);
  });

  it('fits the template and the verdicts into a phone and a desktop, light and dark (screenshots)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const devices: [string, BrowserContextOptions][] = [
      ['390', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
      ['1280', { viewport: { width: 1280, height: 800 } }],
    ];
    const overflow: string[] = [];
    for (const [label, device] of devices) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const context = await e2e.browser.newContext({ ...device, colorScheme });
        const page = await context.newPage();
        const width = device.viewport!.width;
        const measure = async (stage: string) => {
          // A mobile viewport widens itself to fit what overflows: innerWidth stays the screen's only when nothing does.
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
          if (innerWidth !== width || scrollWidth > innerWidth) overflow.push(`${label}-${colorScheme} ${stage}: ${scrollWidth} px in ${innerWidth} px`);
        };
        const shoot = async (stage: string, selector: string) => {
          await page.evaluate(() => document.fonts.ready);
          await page.locator(selector).first().scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(SHOTS, `class-item-${stage}-${label}-${colorScheme}.png`) });
        };
        await openItem(page, true);
        await measure('template');
        await page.locator('[data-testid="template"]').first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: path.join(SHOTS, `class-item-template-${label}-${colorScheme}.png`) });

        await typeAnswer(page, TRANSPOSED);
        await submit(page, '提出');
        const server = page.locator('[data-testid="server-verdict"]');
        await server.waitFor({ timeout: 90_000 });
        await expect(server.locator('.verdict + p').innerText()).resolves.toMatch(DH_PREV_DIFFERS);
        await measure('incorrect');
        await shoot('incorrect', '[data-testid="tries-left"]');

        await typeAnswer(page, RIGHT);
        await submit(page, 'もう一度');
        await page.locator('[data-verdict]').waitFor({ timeout: 90_000 });
        await measure('result');
        await shoot('result', '[aria-label="採点結果"]');
        await context.close();
      }
    }
    expect(overflow).toEqual([]);
  });
});
