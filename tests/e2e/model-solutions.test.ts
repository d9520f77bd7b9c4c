// Every code and function item's model solution, typed into the editor as a learner would, is 正解: from the server
// (the verdict recorded) and from the browser's own grader, on WebGL and on wasm. The model answers are read from
// questions/ on the Node side; the page never receives them.
//
//   flock /tmp/kakunin-test.lock npx vitest run --project e2e tests/e2e/model-solutions.test.ts

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { BrowserMark } from '../../app/sessions/[id]/code-answer';
import { buildBank } from '../../server/bank/bank';
import { CHAPTER_SLUGS } from '../../server/bank/chapters';
import { useServerAndBrowser } from './harness';

// One learner submits every item twice in a few minutes: lift the per-minute cap meant for scripts.
const e2e = useServerAndBrowser({ KAKUNIN_SUBMISSIONS_PER_MINUTE: '1000' });

const solutions = new Map(
  buildBank()
    .questions.filter((q) => q.kind === 'code' || q.kind === 'function')
    .map((q) => [q.id, { kind: q.kind, solution: 'solution' in q ? String(q.solution).trimEnd() : '' }]),
);

interface Row {
  questionId: string;
  server: string;
  browser: BrowserMark;
}

async function api<T>(procedure: string, input: unknown, method: 'GET' | 'POST'): Promise<T> {
  const url = `${e2e.server.url}/api/trpc/${procedure}`;
  const res =
    method === 'POST'
      ? await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })
      : await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

/** The learner's editor content, line by line (the template view is another CodeMirror: excluded). */
function editorText(page: Page): Promise<string> {
  return page.evaluate(() => [...document.querySelectorAll('.code-editor .cm-line')].map((l) => l.textContent ?? '').join('\n'));
}

/** Every code and function item, in sessions of at most 100 questions (the API's cap): Day 3's chapters, then Day 4's. */
async function answerEvery(backend: 'webgl' | 'wasm'): Promise<Row[]> {
  const half = Math.ceil(CHAPTER_SLUGS.length / 2);
  const groups = [CHAPTER_SLUGS.slice(0, half), CHAPTER_SLUGS.slice(half)];
  const rows: Row[] = [];
  for (const chapters of groups) rows.push(...(await answerChapters(backend, chapters)));
  // the sessions held exactly the bank's code and function items
  expect(rows.map((r) => r.questionId).sort()).toEqual([...solutions.keys()].sort());
  return rows;
}

async function answerChapters(backend: 'webgl' | 'wasm', chapters: readonly string[]): Promise<Row[]> {
  const { sessionId } = await api<{ sessionId: number }>('sessions.start', { chapters: [...chapters], count: 100, order: 'course', filters: { kinds: ['code'] } }, 'POST');
  const view = await api<{ items: { position: number; questionId: string }[] }>('sessions.get', { sessionId }, 'GET');
  expect(view.items.length).toBeLessThan(100); // a full session would mean items were left out

  const page = await e2e.browser.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  page.on('worker', (w) => {
    consoleLines.push(`worker started: ${w.url()}`);
    w.on('console', (m) => consoleLines.push(`worker ${m.type()}: ${m.text()}`));
    w.on('close', () => consoleLines.push(`worker closed: ${w.url()}`));
  });
  const rows: Row[] = [];
  try {
    await page.goto(`${e2e.server.url}/sessions/${sessionId}?backend=${backend}`);
    for (const { position, questionId } of view.items) {
      const { solution } = solutions.get(questionId)!;
      await page.locator('nav[aria-label="問題一覧"] button').nth(position).click();
      const article = page.locator(`article[data-question-id="${questionId}"]`);
      await article.locator('[data-testid="code-editor"]').waitFor();
      // The worker reports the backend tf.getBackend() gave it once the item is warm.
      await page.waitForFunction(() => !!document.querySelector('[data-backend]')?.getAttribute('data-backend'), null, { timeout: 120_000, polling: 250 });
      expect(await article.locator('[data-backend]').getAttribute('data-backend')).toBe(backend);

      await article.locator('.code-editor .cm-content').click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(solution);
      expect(await editorText(page)).toBe(solution);
      await article.getByRole('button', { name: '提出', exact: true }).click();

      // The final verdict is the server's: recorded (the result view) or not (a verdict card in the editor).
      const final = article.locator('[data-verdict], [data-testid="server-verdict"], [role="alert"]').first();
      await final.waitFor({ timeout: 120_000 });
      const recorded = await final.getAttribute('data-verdict');
      const server = recorded ?? `${(await final.getAttribute('data-verdict-code')) ?? 'failed'}: ${await final.innerText()}`;
      if (recorded === 'correct') {
        expect(await article.locator('[aria-label="採点結果"] [data-verdict]').innerText()).toMatch(/^正解/);
        expect(await article.locator('[data-testid="graded-by"]').innerText()).toMatch(/^採点: サーバー（/);
      }

      // The browser grades the same code in parallel; its verdict may come after the server's (then it is dropped
      // by the page, but still marked): wait for it so that each item's browser time is its own.
      const handle = await page
        .waitForFunction(
          (id) => performance.getEntriesByName('kakunin:browser-verdict').map((e) => (e as PerformanceMark).detail).find((d) => d.questionId === id),
          questionId,
          { timeout: 120_000, polling: 250 }, // a timer, not requestAnimationFrame: a busy software GPU can stall frames
        )
        .catch(async (error: unknown) => {
          // Name the item and what the page and its worker said, so that one failed run explains itself.
          const shown = await article.innerText().catch(() => '(article gone)');
          throw new Error(`${questionId}: no browser verdict after the server's (${server}); ${String(error)}\narticle:\n${shown.slice(-1500)}\nconsole:\n${consoleLines.slice(-40).join('\n')}`);
        });
      rows.push({ questionId, server, browser: (await handle.jsonValue()) as BrowserMark });
    }
  } finally {
    await page.close();
  }
  return rows;
}

function report(backend: string, rows: Row[], ms: number): void {
  const slowest = [...rows].sort((a, b) => b.browser.elapsedMs - a.browser.elapsedMs).slice(0, 10);
  const shownFirst = rows.filter((r) => r.browser.beforeServer).length;
  console.log(
    `${backend}: ${rows.length} items in ${(ms / 1000).toFixed(1)} s; browser verdict before the server's on ${shownFirst}; slowest browser runs:\n` +
      slowest.map((r) => `  ${r.questionId.padEnd(36)} ${r.browser.elapsedMs.toFixed(0).padStart(6)} ms  ${r.browser.verdict}`).join('\n'),
  );
}

describe('every model solution is 正解', () => {
  it.each(['webgl', 'wasm'] as const)(
    'on %s: from the server, and from the browser grader on that backend',
    async (backend) => {
      const started = performance.now();
      const rows = await answerEvery(backend);
      report(backend, rows, performance.now() - started);

      expect(rows).toHaveLength(solutions.size);
      // collected over all items first, so one run names every failing item
      expect(rows.filter((r) => r.server !== 'correct').map((r) => `${r.questionId} → ${r.server}`)).toEqual([]);
      expect(rows.filter((r) => r.browser.backend !== backend).map((r) => `${r.questionId} → ${r.browser.backend}`)).toEqual([]);
      expect(rows.filter((r) => r.browser.verdict !== 'correct').map((r) => `${r.questionId} → ${r.browser.verdict}`)).toEqual([]);
    },
    20 * 60_000,
  );
});
