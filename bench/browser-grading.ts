// Browser grading latency: time from 提出 to the browser's verdict, on WebGL and on wasm in the same run, in
// headless Chromium against the production server. "cold" is the first submission on a fresh page made at once;
// "after warm-up" waits until the worker has compiled the item (as a learner reading the question does);
// "warm" are the next code items of the same page. Prints the numbers; asserts nothing.
//
//   npx tsx bench/browser-grading.ts [--pages 3]

import type { Page } from 'playwright-core';
import { buildBank } from '../server/bank/bank';
import { ensureBuild } from '../server/cli/build-state.mjs';
import { launchBrowser, startServer } from '../tests/e2e/harness';

const args = process.argv.slice(2);
const pages = args.includes('--pages') ? Number(args[args.indexOf('--pages') + 1]) : 3;
const bank = buildBank();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

await ensureBuild();
const server = await startServer();
const browser = await launchBrowser();

async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = body
    ? await fetch(`${server.url}/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    : await fetch(`${server.url}/api/trpc/${path}`);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

/** A session of the rnn chapter; its code items in order. */
async function rnnSession(): Promise<{ id: number; code: { position: number; questionId: string }[] }> {
  const { sessionId } = await api<{ sessionId: number }>('sessions.start', { chapters: ['rnn'], count: 100, order: 'course' });
  const view = await api<{ items: { position: number; questionId: string; kind: string }[] }>(`sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`);
  return { id: sessionId, code: view.items.filter((i) => i.kind === 'code').map(({ position, questionId }) => ({ position, questionId })) };
}

async function submitAndTime(page: Page, questionId: string, waitForWarm: boolean): Promise<number> {
  const q = bank.byId.get(questionId);
  if (!q || q.kind !== 'code') throw new Error(`${questionId} is not a code item`);
  await page.locator(`article[data-question-id="${questionId}"] [data-testid="code-editor"]`).waitFor();
  if (waitForWarm) await page.waitForFunction(() => !!document.querySelector('[data-backend]')?.getAttribute('data-backend'), null, { timeout: 90_000 });
  await page.locator('.code-editor .cm-content').click();
  await page.keyboard.insertText(q.solution.trim());
  await page.evaluate(() => performance.clearMarks());
  await page.click('button:has-text("提出")');
  await page.waitForFunction(() => performance.getEntriesByName('kakunin:browser-verdict').length > 0, null, { timeout: 90_000 });
  await page.locator('[data-verdict]').waitFor({ timeout: 90_000 });
  return page.evaluate(() => performance.measure('grade', 'kakunin:submit', 'kakunin:browser-verdict').duration);
}

for (const backend of ['webgl', 'wasm'] as const) {
  const cold: number[] = [];
  const perItem = new Map<string, number[]>();
  let used = '';
  for (let i = 0; i < pages; i++) {
    for (const waitForWarm of [false, true]) {
      const session = await rnnSession();
      const page = await browser.newPage();
      await page.goto(`${server.url}/sessions/${session.id}?backend=${backend}`);
      for (const [k, item] of session.code.entries()) {
        await page.locator('nav[aria-label="問題一覧"] button').nth(item.position).click();
        if (!waitForWarm && k > 0) break; // the no-wait pages only measure the cold first submission
        const ms = await submitAndTime(page, item.questionId, waitForWarm);
        used = (await page.locator('[data-testid="graded-by"]').first().innerText().catch(() => used)) || used;
        if (!waitForWarm) cold.push(ms);
        else perItem.set(item.questionId, [...(perItem.get(item.questionId) ?? []), ms]);
      }
      await page.close();
    }
  }
  const items = [...perItem.entries()].map(([id, ms]) => `${id} ${median(ms).toFixed(1)} ms`).join(', ');
  console.log(`${backend}: cold (submitted at once on a fresh page) ${median(cold).toFixed(0)} ms; after warm-up: ${items}`);
  console.log(`  graded by: ${used.split('\n')[0]}`);
}
await browser.close();
await server.stop();
