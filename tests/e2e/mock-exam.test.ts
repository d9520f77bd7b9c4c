import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../server/services/sessions';
import { useServerAndBrowser } from './harness';

// The real bank: the exam draws across all 13 chapters.
const e2e = useServerAndBrowser();

const exam = (page: Page) => page.locator('article[aria-label="模擬試験"]');

async function remainingMs(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid="remaining"]').getAttribute('data-remaining-ms'));
}

/** The session as the API returns it, fetched from the page (its cookies included). */
async function sessionView(page: Page, sessionId: number): Promise<SessionView> {
  return page.evaluate(async (id) => {
    const res = await fetch(`/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId: id }))}`);
    return (await res.json()).result.data;
  }, sessionId);
}

/** Answers the open question in whatever form it asks (the first choice, a number, a sentence) and saves it. */
async function answerOpenQuestion(page: Page): Promise<void> {
  const card = exam(page).locator('.card').first();
  if ((await card.locator('.choice[role="radio"]').count()) > 0) await card.locator('.choice[role="radio"]').first().click();
  else if ((await card.locator('.choice[role="checkbox"]').count()) > 0) await card.locator('.choice[role="checkbox"]').first().click();
  else if ((await card.locator('input[name="answer"]').count()) > 0) await card.locator('input[name="answer"]').fill('1');
  else await card.locator('textarea[name="written"]').fill('勾配が消失するため');
  await page.getByRole('button', { name: '回答を保存' }).click();
  await page.locator('[data-testid="save-state"]', { hasText: '回答を保存しました' }).waitFor();
}

describe('a mock exam in Chromium', () => {
  it('is started from /mock, keeps its time on the server across a reload and a restart, and ends in a per-chapter result', async () => {
    const page = await e2e.browser.newPage();
    await page.goto(e2e.server.url);
    await page.getByRole('link', { name: '模擬試験', exact: true }).click();
    await page.waitForURL(/\/mock$/);
    await expect(page.locator('[data-size="20"]').innerText()).resolves.toContain('制限時間 24分');
    await expect(page.locator('[data-size="100"]').innerText()).resolves.toContain('制限時間 120分（2時間）');
    await expect(page.locator('[data-size="5"]').innerText()).resolves.toContain('制限時間 6分');

    await page.click('[data-size="5"]');
    await page.getByRole('button', { name: '模擬試験を開始' }).click();
    await page.waitForURL(/\/sessions\/\d+$/);
    const sessionId = Number(new URL(page.url()).pathname.split('/').pop());
    await exam(page).waitFor();
    await expect(page.locator('.progress-count').innerText()).resolves.toBe('第1問 / 5');
    const atStart = await remainingMs(page);
    expect(atStart).toBeLessThanOrEqual(360_000);
    expect(atStart).toBeGreaterThan(350_000);
    await expect(page.locator('[data-testid="remaining"]').innerText()).resolves.toMatch(/^残り 0[56]:\d\d$/);

    // Two answers, saved without a verdict; the second question flagged for review.
    await answerOpenQuestion(page);
    expect(await page.locator('[data-verdict]').count()).toBe(0);
    await page.getByRole('button', { name: '次の問題' }).click();
    await page.locator('article[data-position="1"]').waitFor();
    await answerOpenQuestion(page);
    await page.getByRole('button', { name: '見直し', exact: true }).click();
    await expect(page.getByRole('button', { name: '見直しを外す' }).getAttribute('aria-pressed')).resolves.toBe('true');
    const nav = page.locator('nav[aria-label="問題一覧"]');
    await expect.poll(() => nav.locator('button[data-state~="answered"]').count()).toBe(2);
    await expect.poll(() => nav.locator('button[data-state~="flagged"]').count()).toBe(1);
    const hidden = JSON.stringify(await sessionView(page, sessionId));
    for (const secret of ['"verdict"', 'explanationHtml', '"key"']) expect(hidden).not.toContain(secret);

    // Reload: the countdown continues from the server's deadline, it does not start again.
    await page.waitForTimeout(1500);
    const beforeReload = await remainingMs(page);
    await page.reload();
    await exam(page).waitFor();
    const afterReload = await remainingMs(page);
    expect(afterReload).toBeLessThan(beforeReload);
    expect(afterReload).toBeLessThan(atStart - 1500);
    expect(afterReload).toBeGreaterThan(beforeReload - 30_000);
    await expect.poll(() => nav.locator('button[data-state~="answered"]').count()).toBe(2);
    await expect.poll(() => nav.locator('button[data-state~="flagged"]').count()).toBe(1);

    // A server restart keeps it too.
    await e2e.server.restart();
    await page.reload();
    await exam(page).waitFor();
    const afterRestart = await remainingMs(page);
    expect(afterRestart).toBeLessThan(afterReload);
    expect(afterRestart).toBeGreaterThan(afterReload - 60_000);

    // Going back to question 1 shows the saved answer, still without a verdict.
    await nav.getByRole('button', { name: /^第1問/ }).click();
    await page.locator('article[data-position="0"]').waitFor();
    await page.locator('[data-testid="save-state"]', { hasText: '回答済み（試験の終了まで変更できます）' }).waitFor();

    // Hand it in.
    await page.getByRole('button', { name: '試験を終了する' }).click();
    await expect(page.locator('section[aria-label="試験の終了"]').innerText()).resolves.toContain('未回答が 3 問あります。');
    await page.getByRole('button', { name: '終了して採点する' }).click();
    await page.waitForURL(/\/summary$/);

    const view = await sessionView(page, sessionId);
    const result = view.exam!.result!;
    expect(view.answeredCount).toBe(2);
    expect(result.chapters.reduce((s, c) => s + c.total, 0)).toBe(5);
    await expect(page.locator('[data-testid="score"]').innerText()).resolves.toBe(`${view.correctCount} / 5 問正解（${Math.round(view.score * 100)}%）`);
    expect(result.passed).toBe(false); // at most 2 of 5
    await expect(page.locator('[data-testid="pass-line"]').innerText()).resolves.toBe(`合格ライン 70% まで あと ${result.shortBy} 問`);
    expect(result.shortBy).toBeGreaterThanOrEqual(2);

    const rows = page.locator('[data-testid="chapter-breakdown"] tbody tr');
    await expect(rows.count()).resolves.toBe(result.chapters.length);
    for (const [i, c] of result.chapters.entries()) {
      const cells = await rows.nth(i).locator('th, td').allInnerTexts();
      expect(cells.map((t) => t.trim())).toEqual([c.title, String(c.total), String(c.answered), String(c.correct), `${Math.round(c.score * 100)}%`]);
    }
    // Every question is reviewable with its 解説; the flagged one is marked.
    await expect(page.locator('.summary-list > li').count()).resolves.toBe(5);
    await expect(page.locator('.summary-list .explanation').count()).resolves.toBe(5);
    await expect(page.locator('.summary-list [data-verdict]').count()).resolves.toBe(2);
    await expect(page.locator('.summary-list .flag-badge').count()).resolves.toBe(1);
    await page.close();
  });

  it('hands the exam in by itself at zero and scores what was saved', async () => {
    const page = await e2e.browser.newPage();
    await page.goto(`${e2e.server.url}/mock`);
    await page.click('[data-size="5"]');
    await page.getByRole('button', { name: '模擬試験を開始' }).click();
    await page.waitForURL(/\/sessions\/\d+$/);
    const sessionId = Number(new URL(page.url()).pathname.split('/').pop());
    await exam(page).waitFor();
    await answerOpenQuestion(page);

    // Four seconds left: move the start back in the server's database, then reload.
    const db = new Database(e2e.server.dbFile);
    db.prepare('update practice_sessions set started_at = ? where id = ?').run(Date.now() - (360_000 - 4_000), sessionId);
    db.close();
    await page.reload();
    await exam(page).waitFor();
    expect(await remainingMs(page)).toBeLessThanOrEqual(4_000);
    await expect(page.locator('[data-testid="remaining"]').getAttribute('class')).resolves.toContain('urgent');

    await page.waitForURL(/\/summary$/, { timeout: 15_000 });
    const view = await sessionView(page, sessionId);
    expect(view.finishedAt).not.toBeNull();
    expect(view.finishedAt!).toBeLessThanOrEqual(view.exam!.deadline);
    expect(view.answeredCount).toBe(1);
    await expect(page.locator('[data-testid="pass-line"]').innerText()).resolves.toBe(`合格ライン 70% まで あと ${view.exam!.result!.shortBy} 問`);
    await expect(page.locator('.summary-list > li').count()).resolves.toBe(5);

    // The exam is over: a late answer is refused by the server.
    const late = await page.evaluate(async ([id, questionId]) => {
      const res = await fetch('/api/trpc/sessions.answer', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId: id, questionId, response: { type: 'choice', choice: 'a' }, timeSpentMs: 1 }),
      });
      return { status: res.status, body: await res.text() };
    }, [sessionId, view.items[4]!.questionId] as const);
    expect(late.status).toBe(400);
    expect(late.body).toMatch(/試験時間が終了しました。|このセッションは終了しています。/);
    await page.close();
  });
});
