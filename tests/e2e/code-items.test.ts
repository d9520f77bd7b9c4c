import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness';

const e2e = useServerAndBrowser();

/** Starts a session of a chapter through the API and opens the page at the given question (on WebGL unless `query` says otherwise). */
async function openQuestion(page: Page, chapter: string, questionId: string, query = '?backend=webgl'): Promise<void> {
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
  await page.goto(`${e2e.server.url}/sessions/${sessionId}${query}`);
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
  it('grades on WebAssembly where WebGL is rendered in software, and says why; on WebGL otherwise', async () => {
    const page = await e2e.browser.newPage();
    await openQuestion(page, 'birnn', 'birnn-concat', '');
    // the renderer as the page sees it (headless Chromium here: SwiftShader)
    const renderer = await page.evaluate(() => {
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
    });
    const hint = page.locator('[data-backend]');
    if (/swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer)) {
      await expect(hint.getAttribute('data-backend')).resolves.toBe('wasm');
      await expect(hint.getAttribute('data-software-renderer')).resolves.toBe(renderer);
      await expect(hint.innerText()).resolves.toBe('ブラウザの採点エンジン: WebAssembly（この端末の WebGL はソフトウェア描画のため、より速い WebAssembly で採点します）');
    } else {
      await expect(hint.getAttribute('data-backend')).resolves.toBe('webgl');
      await expect(hint.getAttribute('data-software-renderer')).resolves.toBeNull();
    }
    const chosen = await hint.getAttribute('data-backend'); // the hint goes with the editor once the answer is recorded
    await typeCode(page, 'np.concatenate([h_f, h_b[::-1]], axis=1)');
    await page.getByRole('button', { name: '提出', exact: true }).click();
    await expect(page.locator('[aria-label="採点結果"] [data-verdict]').innerText()).resolves.toMatch(/^正解/);
    // the browser's own verdict, on the backend the hint names
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('kakunin:browser-verdict').length), { timeout: 30_000 }).toBe(1);
    const [mark] = await page.evaluate(() => performance.getEntriesByName('kakunin:browser-verdict').map((e) => (e as PerformanceMark).detail as { backend: string; verdict: string }));
    expect(mark).toMatchObject({ verdict: 'correct', backend: chosen });
    await page.close();
  });

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

    const reported = page.waitForResponse((r) => r.url().includes('sessions.reportBrowserVerdict'), { timeout: 60_000 });
    release();
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('correct');
    await expect(page.locator('[aria-label="採点結果"]').innerText()).resolves.toContain('正解');
    await expect(page.locator('[data-testid="graded-by"]').innerText()).resolves.toMatch(/^採点: サーバー（CPU・/);
    expect(await page.locator('[data-testid="browser-verdict"]').count()).toBe(0);

    // The browser's verdict (it came first, before the try was recorded) is then kept beside the server's.
    expect((await reported).status()).toBe(200);
    const sessionId = Number(new URL(page.url()).pathname.split('/').pop());
    const view = (await (await fetch(`${e2e.server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`)).json()) as {
      result: { data: { items: { questionId: string; result: { feedback: { code: { browser: unknown } } } | null }[] } };
    };
    const recorded = view.result.data.items.find((i) => i.questionId === 'birnn-concat')!.result!.feedback.code.browser;
    expect(recorded).toMatchObject({ verdict: 'correct', backend: 'webgl' });
    await page.close();
  });

  it('never blames the code when the browser fails: 実行 runs on the server instead, and 提出 waits for the server', async () => {
    const page = await e2e.browser.newPage();
    await crashWorkerRuns(page);
    const release = await holdSubmissions(page);
    await openQuestion(page, 'attention', 'attention-softmax-function');
    await typeCode(page, SOFTMAX);

    await page.click('button:has-text("実行")');
    const ran = page.locator('[data-testid="run-output"]');
    await ran.waitFor({ timeout: 60_000 });
    await expect(ran.getAttribute('data-source')).resolves.toBe('server');
    await expect(ran.locator('p').first().innerText()).resolves.toMatch(/^例のケースで実行（サーバー・CPU・[\d.]+ ms）$/);
    expect(await ran.locator('.error').count()).toBe(0);

    await page.click('button:has-text("提出")');
    await expect(page.locator('[data-testid="browser-slow"]').innerText()).resolves.toBe('ブラウザでの実行は時間がかかっているため、サーバーの判定を待っています。');
    expect(await page.locator('article [role="alert"]').count()).toBe(0);
    expect(await page.locator('article').innerText()).not.toContain('無限ループ');

    release();
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('correct');
    await page.close();
  });

  it('shows 不正解 with the shapes for axis=0, keeps the editor for another try, and the second try is right', async () => {
    const page = await e2e.browser.newPage();
    await openQuestion(page, 'birnn', 'birnn-concat');
    await typeCode(page, 'np.concatenate([h_f, h_b[::-1]], axis=0)');
    await page.click('button:has-text("実行")');
    await expect(page.locator('[data-testid="run-output"]').getAttribute('data-source')).resolves.toBe('browser');
    await page.click('button:has-text("提出")');
    await expect(page.locator('[data-testid="tries-left"]').innerText({ timeout: 60_000 })).resolves.toBe(
      '不正解でした。コードを直して「もう一度」で提出できます（あと 2 回）。「解答を見る」で模範解答と解説を表示します（この問題の提出は終わります）。',
    );
    const verdict = page.locator('[data-testid="server-verdict"]');
    await expect(verdict.getAttribute('data-verdict-code')).resolves.toBe('incorrect');
    await expect(verdict.innerText()).resolves.toContain('形が違います: 期待 (3, 8)、実際 (6, 4)');
    // No result and no model answer yet; the editor keeps the code, editable.
    expect(await page.locator('[data-verdict]').count()).toBe(0);
    expect(await page.locator('article').innerText()).not.toContain('模範解答のコード');
    await expect(page.locator('.code-editor .cm-content').innerText()).resolves.toBe('np.concatenate([h_f, h_b[::-1]], axis=0)');
    await expect(page.locator('nav[aria-label="問題一覧"]').innerText()).resolves.toContain('✗');

    await typeCode(page, 'np.concatenate([h_f, h_b[::-1]], axis=1)');
    await page.locator('.code-answer').getByRole('button', { name: 'もう一度' }).click();
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    // The first try is the one that counts; the note says the second was right, and the model answer is shown now.
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('incorrect');
    await expect(page.locator('[data-testid="attempts"] p').first().innerText()).resolves.toBe('2 回目で正解しました。成績と復習の予定には 1 回目の判定が使われます。');
    await expect(page.locator('[aria-label="採点結果"]').innerText()).resolves.toContain('模範解答のコード');
    await page.close();
  });

  it('shows the model answer on request, which ends the tries, and keeps it across a reload', async () => {
    const page = await e2e.browser.newPage();
    await openQuestion(page, 'attention', 'attention-softmax-function');
    await typeCode(page, 'def softmax(x):\n    return x');
    await page.click('button:has-text("提出")');
    await page.locator('[data-testid="tries-left"]').waitFor({ timeout: 60_000 });
    // The server sends no model answer or 解説 while the item may be tried again.
    const sessionId = Number(new URL(page.url()).pathname.split('/').pop());
    const payload = await (await fetch(`${e2e.server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`)).text();
    expect(payload).toContain('"used":1');
    for (const secret of ['x = x - np.max(x, axis=-1, keepdims=True)', '分子・分母に同じ', 'explanationHtml']) expect(payload).not.toContain(secret);
    // A reload keeps the try open with the last code and its verdict.
    await page.reload();
    await page.locator('nav[aria-label="問題一覧"] button:has-text("✗")').click();
    await page.locator('[data-testid="tries-left"]').waitFor();
    await expect(page.locator('[data-testid="server-verdict"]').getAttribute('data-verdict-code')).resolves.toBe('incorrect');
    await expect(page.locator('.code-editor .cm-content').innerText()).resolves.toContain('return x');

    await page.click('button:has-text("解答を見る")');
    await page.locator('[data-verdict]').waitFor();
    await expect(page.locator('[data-testid="attempts"] p').first().innerText()).resolves.toBe('1 回提出して解答を表示しました。');
    await expect(page.locator('[aria-label="採点結果"]').innerText()).resolves.toMatch(/模範解答のコード\s+def softmax\(x\):\s+x = x - np\.max\(x, axis=-1, keepdims=True\)/);
    expect(await page.locator('.code-answer').count()).toBe(0); // no editor: the tries are over
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
