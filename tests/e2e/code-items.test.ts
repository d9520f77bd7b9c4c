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

describe('code items in Chromium', () => {
  it('grades birnn-concat in a WebGL worker, then on the server: 正解', async () => {
    const page = await e2e.browser.newPage();
    await openQuestion(page, 'birnn', 'birnn-concat');
    await expect(page.locator('[data-backend]').getAttribute('data-backend')).resolves.toBe('webgl');
    await expect(page.locator('[data-testid="template"]').first().innerText()).resolves.toContain('zip(hs_f, hs_b)');
    expect(await page.locator('.cm-blank').count()).toBe(1);

    await typeCode(page, 'np.concatenate([h_f, h_b[::-1]], axis=1)');
    await page.click('button:has-text("提出")');
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('correct');
    await expect(page.locator('[aria-label="採点結果"]').innerText()).resolves.toContain('正解');
    const gradedBy = await page.locator('[data-testid="graded-by"]').innerText();
    expect(gradedBy).toContain('サーバー（CPU');
    expect(gradedBy).toContain('ブラウザ（WebGL）');
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

  it('stops an endless loop with a time-limit message, and the page keeps working', async () => {
    const page = await e2e.browser.newPage();
    await openQuestion(page, 'attention', 'attention-softmax-function');
    await typeCode(page, 'def softmax(x):\n    while True:\n        pass');
    await page.click('button:has-text("提出")');
    const outcome = page.locator('[data-testid="server-verdict"], [data-testid="time-limit"]');
    await outcome.first().waitFor({ timeout: 60_000 });
    await expect(outcome.first().innerText()).resolves.toMatch(/TimeoutError|制限時間/);
    expect(await page.locator('[data-verdict]').count()).toBe(0); // not recorded: no attempt used

    await typeCode(page, 'def softmax(x):\n    e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n    return e / np.sum(e, axis=-1, keepdims=True)');
    await page.click('button:has-text("提出")');
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('correct');
    await page.close();
  });
});
