import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness';

const e2e = useServerAndBrowser();

/** Starts a session of a chapter through the API and opens the page at the given question. */
async function openQuestion(page: Page, chapter: string, questionId: string): Promise<void> {
  const started = await fetch(`${e2e.server.url}/api/trpc/sessions.start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chapters: [chapter], count: 100, order: 'course' }),
  });
  const sessionId = ((await started.json()) as { result: { data: { sessionId: number } } }).result.data.sessionId;
  const view = (await (await fetch(`${e2e.server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`)).json()) as {
    result: { data: { items: { questionId: string }[] } };
  };
  const position = view.result.data.items.findIndex((i) => i.questionId === questionId);
  expect(position).toBeGreaterThanOrEqual(0);
  await page.goto(`${e2e.server.url}/sessions/${sessionId}`);
  await page.locator('nav[aria-label="問題一覧"] button').nth(position).click();
  await page.locator(`article[data-question-id="${questionId}"]`).waitFor();
  await page.locator('[data-testid="code-editor"]').waitFor();
  // The worker is started and warmed when the question opens.
  await page.waitForFunction(() => !!document.querySelector('[data-backend]')?.getAttribute('data-backend'), null, { timeout: 90_000 });
}

async function typeCode(page: Page, code: string): Promise<void> {
  await page.locator('.code-editor .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

/** Holds the page's submissions at the network until `release` (the server's verdict "is slow"). */
async function holdSubmissions(page: Page): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname.includes('sessions.submitCode'),
    async (route) => {
      await held;
      await route.continue();
    },
  );
  return release;
}

/** Makes the grading worker "crash" on every grade and run request (an ErrorEvent, as a real crash gives). */
async function crashWorkerRuns(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
      const type = (message as { type?: string } | null)?.type;
      if (type === 'grade' || type === 'run') {
        setTimeout(() => this.dispatchEvent(new ErrorEvent('error', { message: 'simulated crash' })), 0);
        return;
      }
      return (post as (...args: unknown[]) => void).apply(this, [message, ...rest]);
    } as typeof Worker.prototype.postMessage;
  });
}

const SOFTMAX = 'def softmax(x):\n    e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n    return e / np.sum(e, axis=-1, keepdims=True)';

describe('code items in Chromium', () => {
  it('shows the WebGL worker’s verdict first, marked provisional, and the server’s verdict replaces it', async () => {
    const page = await e2e.browser.newPage();
    const release = await holdSubmissions(page);
    await openQuestion(page, 'birnn', 'birnn-concat');
    await expect(page.locator('[data-backend]').getAttribute('data-backend')).resolves.toBe('webgl');
    await expect(page.locator('[data-testid="template"]').first().innerText()).resolves.toContain('zip(hs_f, hs_b)');
    expect(await page.locator('.cm-blank').count()).toBe(1);

    await typeCode(page, 'np.concatenate([h_f, h_b[::-1]], axis=1)');
    await page.click('button:has-text("提出")');
    const provisional = page.locator('[data-testid="browser-verdict"]');
    await provisional.waitFor({ timeout: 60_000 });
    await expect(provisional.locator('[data-testid="provisional"]').innerText()).resolves.toBe('ブラウザでの判定（確認中…）');
    await expect(provisional.locator('.verdict').innerText()).resolves.toMatch(/^正解（(\d+)\/\1 ケース）$/);
    await expect(provisional.locator('[data-testid="graded-by"]').innerText()).resolves.toMatch(/^採点: ブラウザ（WebGL・/);
    expect(await page.locator('[data-verdict]').count()).toBe(0); // nothing recorded before the server's verdict

    release();
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('correct');
    await expect(page.locator('[aria-label="採点結果"]').innerText()).resolves.toContain('正解');
    await expect(page.locator('[data-testid="graded-by"]').innerText()).resolves.toMatch(/^採点: サーバー（CPU・/);
    expect(await page.locator('[data-testid="browser-verdict"]').count()).toBe(0);
    await page.close();
  });

  it('never blames the code when the browser fails: 実行 says so calmly, and 提出 waits for the server', async () => {
    const page = await e2e.browser.newPage();
    await crashWorkerRuns(page);
    const release = await holdSubmissions(page);
    await openQuestion(page, 'attention', 'attention-softmax-function');
    await typeCode(page, SOFTMAX);

    await page.click('button:has-text("実行")');
    await expect(page.locator('[data-testid="run-slow"]').innerText()).resolves.toBe(
      'ブラウザでの実行が時間内に終わりませんでした（この端末では時間がかかっています）。提出すればサーバーで採点します。',
    );

    await page.click('button:has-text("提出")');
    await expect(page.locator('[data-testid="browser-slow"]').innerText()).resolves.toBe('ブラウザでの実行は時間がかかっているため、サーバーの判定を待っています。');
    expect(await page.locator('article [role="alert"]').count()).toBe(0);
    expect(await page.locator('article').innerText()).not.toContain('無限ループ');

    release();
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('correct');
    await page.close();
  });

  it('shows 不正解 with the expected and actual shapes for axis=0', async () => {
    const page = await e2e.browser.newPage();
    await openQuestion(page, 'birnn', 'birnn-concat');
    await typeCode(page, 'np.concatenate([h_f, h_b[::-1]], axis=0)');
    await page.click('button:has-text("実行")');
    await page.locator('[data-testid="run-output"]').waitFor();
    await page.click('button:has-text("提出")');
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('incorrect');
    await expect(page.locator('[aria-label="採点結果"]').innerText()).resolves.toContain('形が違います: 期待 (3, 8)、実際 (6, 4)');
    await page.close();
  });

  it('names an endless loop as such when the step limit stops it, and the page keeps working', async () => {
    const page = await e2e.browser.newPage();
    await openQuestion(page, 'attention', 'attention-softmax-function');
    await typeCode(page, 'def softmax(x):\n    while True:\n        pass');
    await page.click('button:has-text("提出")');
    const verdict = page.locator('[data-testid="server-verdict"]');
    await verdict.waitFor({ timeout: 60_000 });
    await expect(verdict.getAttribute('data-limit')).resolves.toBe('maxSteps');
    await expect(verdict.innerText()).resolves.toContain('TimeoutError: 計算ステップ数の上限 (1000000) を超えました。無限ループになっていませんか');
    expect(await page.locator('[data-verdict]').count()).toBe(0); // not recorded: no attempt used

    await typeCode(page, SOFTMAX);
    await page.click('button:has-text("提出")');
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('correct');
    await page.close();
  });
});
