import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../server/bank/bank';
import type { Question } from '../../server/bank/types';
import { useServerAndBrowser } from './harness';

/*
 * Issue 16: a mock exam save the server stored but whose reply was lost (a node that died after COMMIT, a dropped
 * connection) is retried by the page as the same request, and its time spent is counted once.
 */

const e2e = useServerAndBrowser();
const bank = buildBank();
const choices = bank.questions.filter((q) => q.kind === 'choice' && q.choices.map((c) => c.id).join() === 'a,b,c,d');

const saveState = (page: Page) => page.locator('[data-testid="save-state"]');

interface Save {
  questionId: string;
  response: unknown;
  timeSpentMs: number;
  requestId: string;
}

/** A 5-question exam of known choice questions (the draw replaced in the server's database). */
async function startExam(page: Page, questions: Question[]): Promise<number> {
  await page.goto(`${e2e.server.url}/mock`);
  await page.click('[data-size="5"]');
  await page.getByRole('button', { name: '模擬試験を開始' }).click();
  await page.waitForURL(/\/sessions\/\d+$/);
  const sessionId = Number(new URL(page.url()).pathname.split('/').pop());
  const db = new Database(e2e.server.dbFile);
  db.prepare('update practice_sessions set question_ids = ? where id = ?').run(JSON.stringify(questions.map((q) => q.id)), sessionId);
  db.close();
  await page.reload();
  await page.locator('article[aria-label="模擬試験"]').waitFor();
  return sessionId;
}

function storedAnswer(sessionId: number, questionId: string) {
  const db = new Database(e2e.server.dbFile, { readonly: true });
  const row = db.prepare('select response, time_spent_ms as timeSpentMs, request_id as requestId from answers where session_id = ? and question_id = ?').get(sessionId, questionId) as
    | { response: string; timeSpentMs: number; requestId: string }
    | undefined;
  db.close();
  return row && { ...row, response: JSON.parse(row.response) as unknown };
}

describe('a mock exam save whose reply was lost', () => {
  it('is retried as the same request and its time is counted once', async () => {
    const page = await e2e.browser.newPage();
    const sessionId = await startExam(page, choices.slice(0, 5));
    const question = choices[0]!;
    const saves: Save[] = [];
    let lost = 0;
    // The first save reaches the server and is stored; its reply never comes back.
    await page.route('**/api/trpc/sessions.answer', async (route) => {
      saves.push(route.request().postDataJSON() as Save);
      if (lost > 0) return route.continue();
      lost += 1;
      const reply = await route.fetch();
      expect(reply.status()).toBe(200);
      return route.abort('connectionreset');
    });
    await page.locator('[data-choice="b"]').click();
    await saveState(page).locator('text=保存済み').waitFor({ timeout: 20_000 });

    expect(saves.length).toBe(2);
    expect(saves[1]).toEqual(saves[0]);
    expect(saves[0]).toMatchObject({ questionId: question.id, response: { type: 'choice', choice: 'b' }, requestId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(saves[0]!.timeSpentMs).toBeGreaterThan(0);
    // Stored once, with the time of the one save, not twice.
    expect(storedAnswer(sessionId, question.id)).toEqual({ response: { type: 'choice', choice: 'b' }, timeSpentMs: Math.round(saves[0]!.timeSpentMs), requestId: saves[0]!.requestId });

    // A new pick is a new save: a new id, and its time adds up.
    await page.locator('[data-choice="c"]').click();
    await expect.poll(() => saves.length).toBe(3);
    await expect.poll(() => storedAnswer(sessionId, question.id)?.requestId).toBe(saves[2]!.requestId);
    expect(saves[2]!.requestId).not.toBe(saves[0]!.requestId);
    expect(storedAnswer(sessionId, question.id)).toEqual({
      response: { type: 'choice', choice: 'c' },
      timeSpentMs: Math.round(saves[0]!.timeSpentMs) + Math.round(saves[2]!.timeSpentMs),
      requestId: saves[2]!.requestId,
    });
    await page.close();
  });
});
