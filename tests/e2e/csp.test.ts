import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness';

/*
 * The Content Security Policy (issue 15: it allowed inline scripts). Scripts run only with the page's nonce; the
 * pages still hydrate, KaTeX renders, the editor and the grading Web Worker (tfjs, WebGL and wasm) still work, and
 * the browser reports no violation anywhere.
 */

const e2e = useServerAndBrowser();

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${e2e.server.url}/api/trpc/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return ((await res.json()) as { result: { data: T } }).result.data;
}

/** A session of the chapter through the API, and the position of `questionId` in it. */
async function sessionWith(chapter: string, questionId: string): Promise<{ sessionId: number; position: number }> {
  const { sessionId } = await api<{ sessionId: number }>('sessions.start', { chapters: [chapter], count: 100, order: 'course' });
  const view = await api<{ items: { questionId: string }[] }>(`sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`);
  return { sessionId, position: view.items.findIndex((i) => i.questionId === questionId) };
}

function scriptSrcOf(policy: string): string {
  return policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src ')) ?? '';
}

/** Every CSP violation the page or its workers report: the console's, and the document's own events. */
function watchViolations(page: Page): () => Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    if (/Content Security Policy/i.test(e.message)) seen.push(`pageerror: ${e.message}`);
  });
  void page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = list;
    document.addEventListener('securitypolicyviolation', (e) => list.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...seen, ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []))];
}

describe('Content Security Policy', () => {
  it('sends a fresh nonce with every page, no unsafe-inline for scripts, and the nonce on every script of the page', async () => {
    const { sessionId } = await sessionWith('rnn', 'rnn-bptt-delta');
    const nonces = new Set<string>();
    for (const path of ['/', '/', '/progress', '/signin', '/review', '/mock', `/sessions/${sessionId}`]) {
      const res = await fetch(`${e2e.server.url}${path}`);
      expect(res.status, path).toBe(200);
      const policy = res.headers.get('content-security-policy') ?? '';
      const scriptSrc = scriptSrcOf(policy);
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc)?.[1];
      expect(nonce, `${path}: ${scriptSrc}`).toMatch(/^[A-Za-z0-9+/]{24}$/);
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      expect(scriptSrc).not.toContain("'unsafe-eval'");
      expect(policy).toContain("worker-src 'self' blob:");
      nonces.add(nonce!);
      // rendered for this request: every script tag of the HTML carries this nonce (a page built ahead would not)
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      expect(scripts.filter((tag) => !tag.includes(` nonce="${nonce}"`)), path).toEqual([]);
    }
    expect(nonces.size).toBe(7);
  });

  it('runs no injected inline script or event handler, while a script with the page’s nonce runs', async () => {
    const page = await e2e.browser.newPage();
    const violations = watchViolations(page);
    // what a stored XSS would be: markup in the page as served, with the server's real headers
    await page.route(`${e2e.server.url}/`, async (route) => {
      const response = await route.fetch();
      const nonce = /'nonce-([^']+)'/.exec(response.headers()['content-security-policy'] ?? '')?.[1];
      const injected = `<script>window.__injected = true</script><img src="data:," onerror="window.__xss = true"><script nonce="${nonce}">window.__withNonce = true</script>`;
      await route.fulfill({ response, body: (await response.text()).replace('</body>', `${injected}</body>`) });
    });
    await page.goto(e2e.server.url);
    await page.waitForLoadState('load');
    await page.waitForFunction(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.length >= 2);
    const outcome = await page.evaluate(() => {
      const flags = window as unknown as Record<string, unknown>;
      return { injected: flags.__injected ?? false, xss: flags.__xss ?? false, withNonce: flags.__withNonce ?? false };
    });
    expect(outcome).toEqual({ injected: false, xss: false, withNonce: true });
    const reported = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
    expect(reported.map((v) => v.split(' ')[0]).sort()).toEqual(['script-src-attr', 'script-src-elem']);
    expect((await violations()).some((v) => v.startsWith('console: ') && v.includes("Executing inline script violates"))).toBe(true);
    await page.close();
  });

  it('reports no violation on the home page, a code item graded in the browser and on the server, /progress and /signin', async () => {
    const page = await e2e.browser.newPage();
    const violations = watchViolations(page);

    // home: hydrated (a client form that starts a session)
    await page.goto(e2e.server.url);
    await page.check('input[value="rnn"]');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/sessions\/\d+$/);
    await page.locator('article[data-position="0"]').waitFor();
    // math (KaTeX) on a question known to have it: the session's first question is drawn at random
    const math = await sessionWith('rnn', 'rnn-y1-formula');
    await page.goto(`${e2e.server.url}/sessions/${math.sessionId}`);
    await page.locator('nav[aria-label="問題一覧"] button').nth(math.position).click();
    await page.locator(`article[data-position="${math.position}"] .prompt .katex`).first().waitFor();
    expect(await page.locator('.prompt .katex').count()).toBeGreaterThan(0);

    // a code item: the editor, the worker (tfjs on WebGL) grading in the browser, then the server's verdict
    const { sessionId, position } = await sessionWith('birnn', 'birnn-concat');
    await page.goto(`${e2e.server.url}/sessions/${sessionId}?backend=webgl`);
    await page.locator('nav[aria-label="問題一覧"] button').nth(position).click();
    await page.locator('[data-testid="code-editor"]').waitFor();
    await page.waitForFunction(() => !!document.querySelector('[data-backend]')?.getAttribute('data-backend'), null, { timeout: 90_000 });
    await expect(page.locator('[data-backend]').getAttribute('data-backend')).resolves.toBe('webgl');
    await page.locator('.code-editor .cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('np.concatenate([h_f, h_b[::-1]], axis=1)');
    await page.click('button:has-text("提出")');
    await page.locator('[data-verdict]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('correct');
    expect(await page.locator('.katex').count()).toBeGreaterThan(0);

    for (const path of ['/progress', '/signin']) {
      await page.goto(`${e2e.server.url}${path}`);
      await page.waitForLoadState('networkidle');
    }
    await expect(page.locator('form').count()).resolves.toBeGreaterThan(0);
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('the grading worker on the tfjs wasm backend still loads and runs under the policy', async () => {
    const page = await e2e.browser.newPage();
    const violations = watchViolations(page);
    const { sessionId, position } = await sessionWith('birnn', 'birnn-concat');
    await page.goto(`${e2e.server.url}/sessions/${sessionId}?backend=wasm`);
    await page.locator('nav[aria-label="問題一覧"] button').nth(position).click();
    await page.locator('[data-testid="code-editor"]').waitFor();
    await page.waitForFunction(() => !!document.querySelector('[data-backend]')?.getAttribute('data-backend'), null, { timeout: 90_000 });
    await expect(page.locator('[data-backend]').getAttribute('data-backend')).resolves.toBe('wasm');
    await page.locator('.code-editor .cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('np.concatenate([h_f, h_b[::-1]], axis=1)');
    await page.click('button:has-text("実行")');
    await page.locator('[data-testid="run-output"]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-testid="run-output"]').innerText()).resolves.toMatch(/^例のケースで実行（WebAssembly・/);
    expect(await violations()).toEqual([]);
    await page.close();
  });
});
