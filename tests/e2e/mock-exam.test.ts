import Database from 'better-sqlite3';
import type { Page, Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../server/bank/bank';
import type { Question } from '../../server/bank/types';
import type { SessionView } from '../../server/services/sessions';
import { useServerAndBrowser } from './harness';

// The real bank: the exam draws across all 13 chapters.
const e2e = useServerAndBrowser();
const bank = buildBank();
/** Questions of one form only (no 記述 tab beside it), so a test knows what the page asks. */
const plain = (kind: Question['kind'], test: (q: Question) => boolean = () => true) =>
  bank.questions.filter((q) => q.kind === kind && !('written' in q && q.written) && test(q));
const fourChoices = plain('choice', (q) => q.kind === 'choice' && q.choices.map((c) => c.id).join() === 'a,b,c,d') as Extract<Question, { kind: 'choice' }>[];
const CHOICE_1 = fourChoices[0]!;
const CHOICE_2 = fourChoices[1]!;
const MULTI = plain('multi')[0]!;
const NUMERIC = plain('numeric')[0]!;
const TEXT = plain('text')[0]!;

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

const saveState = (page: Page) => page.locator('[data-testid="save-state"]');
const navItem = (page: Page, n: number) => page.locator('nav[aria-label="問題一覧"] li').nth(n - 1).locator('button');

/** Answers the open question in whatever form it asks (the first choice, a number, a sentence); it saves itself. */
async function answerOpenQuestion(page: Page): Promise<void> {
  const card = exam(page).locator('.card').first();
  if ((await card.locator('.choice[role="radio"]').count()) > 0) await card.locator('.choice[role="radio"]').first().click();
  else if ((await card.locator('.choice[role="checkbox"]').count()) > 0) await card.locator('.choice[role="checkbox"]').first().click();
  else if ((await card.locator('input[name="answer"]').count()) > 0) await card.locator('input[name="answer"]').fill('1');
  else await card.locator('textarea[name="written"]').fill('勾配が消失するため');
  await page.locator('[data-testid="save-state"][data-save="saved"]', { hasText: '保存済み' }).waitFor();
}

/** Starts a 5-question exam from /mock; `questions` replaces the draw (in the server's database) so the test knows them. */
async function startExam(page: Page, questions?: Question[]): Promise<number> {
  await page.goto(`${e2e.server.url}/mock`);
  await page.click('[data-size="5"]');
  await page.getByRole('button', { name: '模擬試験を開始' }).click();
  await page.waitForURL(/\/sessions\/\d+$/);
  const sessionId = Number(new URL(page.url()).pathname.split('/').pop());
  if (questions) {
    const db = new Database(e2e.server.dbFile);
    db.prepare('update practice_sessions set question_ids = ? where id = ?').run(JSON.stringify(questions.map((q) => q.id)), sessionId);
    db.close();
    await page.reload();
  }
  await exam(page).waitFor();
  return sessionId;
}

/** Moves the exam's start so that `leftMs` remain (the server's clock), and returns the deadline. */
function leaveOnly(sessionId: number, leftMs: number): number {
  const db = new Database(e2e.server.dbFile);
  const { seconds } = db.prepare('select time_limit_sec as seconds from practice_sessions where id = ?').get(sessionId) as { seconds: number };
  const startedAt = Date.now() - (seconds * 1000 - leftMs);
  db.prepare('update practice_sessions set started_at = ? where id = ?').run(startedAt, sessionId);
  db.close();
  return startedAt + seconds * 1000;
}

const isSave = (request: Request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/trpc/sessions.answer';

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
    await page.locator('[data-testid="save-state"][data-save="saved"]', { hasText: '試験の終了まで変更できます' }).waitFor();

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

describe('answers in a mock exam, as in the CBT exam', () => {
  it('saves a pick at once: the navigator and the status say so, and a reload keeps it', async () => {
    const page = await e2e.browser.newPage();
    const sessionId = await startExam(page, [CHOICE_1, MULTI, NUMERIC, TEXT, CHOICE_2]);
    await expect(saveState(page).locator('strong').innerText()).resolves.toBe('未回答');
    await expect(saveState(page).locator('.save-note').innerText()).resolves.toBe('選ぶとすぐに保存されます');
    expect(await page.getByRole('button', { name: '回答を保存' }).count()).toBe(0);

    const saves: unknown[] = [];
    page.on('request', (r) => isSave(r) && saves.push(r.postDataJSON()));
    await page.locator('[data-choice="b"]').click();
    // Shown as answered before any reply (optimistic), then saved.
    await expect(navItem(page, 1).getAttribute('data-state')).resolves.toBe('answered');
    await saveState(page).locator('text=保存済み').waitFor();
    await expect(saveState(page).getAttribute('data-save')).resolves.toBe('saved');
    await expect(navItem(page, 1).getAttribute('aria-label')).resolves.toBe('第1問 回答済み');
    await expect(page.locator('.exam-bar').innerText()).resolves.toContain('回答済み 1 / 5');
    expect(saves).toEqual([{ sessionId, questionId: CHOICE_1.id, response: { type: 'choice', choice: 'b' }, timeSpentMs: expect.any(Number), requestId: expect.stringMatching(/^[0-9a-f]{32}$/) }]);

    await page.reload();
    await exam(page).waitFor();
    await expect.poll(() => navItem(page, 1).getAttribute('data-state')).toBe('answered');
    await navItem(page, 1).click();
    await page.locator('article[data-position="0"]').waitFor();
    await expect(page.locator('[data-choice="b"]').getAttribute('aria-checked')).resolves.toBe('true');
    await expect(saveState(page).getAttribute('data-save')).resolves.toBe('saved');
    await expect((await sessionView(page, sessionId)).items[0]!.savedResponse).toEqual({ type: 'choice', choice: 'b' });

    // Multi: each tick is saved; unticking every one takes the answer back, and the question is unanswered again.
    await navItem(page, 2).click();
    await page.locator('article[data-position="1"]').waitFor();
    await page.locator('[data-choice="a"]').click();
    await page.locator('[data-choice="c"]').click();
    await expect.poll(async () => (await sessionView(page, sessionId)).items[1]!.savedResponse).toEqual({ type: 'multi', choices: ['a', 'c'] });
    await page.locator('[data-choice="a"]').click();
    await page.locator('[data-choice="c"]').click();
    await expect.poll(async () => (await sessionView(page, sessionId)).items[1]!.answered).toBe(false);
    await expect(navItem(page, 2).getAttribute('data-state')).resolves.toBe('open');
    await expect(saveState(page).locator('strong').innerText()).resolves.toBe('未回答');

    // A number typed is saved after a pause; a reload right away (before it) loses nothing.
    await navItem(page, 3).click();
    await page.locator('article[data-position="2"]').waitFor();
    await page.locator('input[name="answer"]').pressSequentially('0.25');
    await expect(saveState(page).locator('strong').innerText()).resolves.toBe('未保存（入力中）');
    await expect(navItem(page, 3).getAttribute('data-save')).resolves.toBe('unsaved');
    await page.reload();
    await exam(page).waitFor();
    await expect.poll(async () => (await sessionView(page, sessionId)).items[2]!.savedResponse).toEqual({ type: 'numeric', value: '0.25' });
    await navItem(page, 3).click();
    await expect(page.locator('input[name="answer"]').inputValue()).resolves.toBe('0.25');

    // Text: saved by itself after the pause, with no key pressed.
    await navItem(page, 4).click();
    await page.locator('article[data-position="3"]').waitFor();
    await page.locator('input[name="answer"]').fill('テスト');
    await saveState(page).locator('text=保存済み').waitFor();
    expect((await sessionView(page, sessionId)).items[3]!.savedResponse).toEqual({ type: 'text', value: 'テスト' });
    await page.close();
  });

  it('retries a save the network lost, showing it unsaved until it arrives', async () => {
    const page = await e2e.browser.newPage();
    const sessionId = await startExam(page, [CHOICE_1, CHOICE_2, MULTI, NUMERIC, TEXT]);
    let refused = 0;
    await page.route('**/api/trpc/sessions.answer', (route) => {
      refused += 1;
      return route.abort('internetdisconnected');
    });
    await page.keyboard.press('c');
    await saveState(page).locator('text=未保存（再試行中）').waitFor();
    await expect(saveState(page).getAttribute('data-save')).resolves.toBe('unsaved');
    await expect(navItem(page, 1).getAttribute('data-save')).resolves.toBe('unsaved');
    await expect(navItem(page, 1).getAttribute('aria-label')).resolves.toBe('第1問 回答済み（未保存）');
    await expect(page.locator('.exam-bar').innerText()).resolves.toContain('未保存 1');
    await expect.poll(() => refused).toBeGreaterThanOrEqual(2); // tried again by itself

    await page.unroute('**/api/trpc/sessions.answer');
    await saveState(page).locator('text=保存済み').waitFor({ timeout: 20_000 });
    await expect(navItem(page, 1).getAttribute('data-save')).resolves.toBe('saved');
    expect((await sessionView(page, sessionId)).items[0]!.savedResponse).toEqual({ type: 'choice', choice: 'c' });
    await page.close();
  });

  it('on rapid re-picks sends one save at a time and ends with the last pick, which is the one scored', async () => {
    const page = await e2e.browser.newPage();
    const sessionId = await startExam(page, [CHOICE_1, CHOICE_2, MULTI, NUMERIC, TEXT]);
    // A slow network: every save takes a second to leave.
    const events: string[] = [];
    await page.route('**/api/trpc/sessions.answer', async (route) => {
      await new Promise((r) => setTimeout(r, 1_000));
      await route.continue();
    });
    page.on('request', (r) => isSave(r) && events.push(`send ${(r.postDataJSON() as { response: { choice: string } }).response.choice}`));
    page.on('requestfinished', (r) => isSave(r) && events.push('reply'));
    for (const key of ['a', 'b', 'c', 'd']) await page.keyboard.press(key);
    await expect(page.locator('[data-choice="d"]').getAttribute('aria-checked')).resolves.toBe('true');
    await saveState(page).locator('text=保存済み').waitFor({ timeout: 20_000 });
    await expect.poll(() => events.at(-1)).toBe('reply');
    // One at a time (each sent after the previous reply), the first pick first, the last pick last.
    expect(events.filter((_, i) => i % 2 === 0).every((e) => e.startsWith('send'))).toBe(true);
    expect(events.filter((_, i) => i % 2 === 1).every((e) => e === 'reply')).toBe(true);
    expect(events[0]).toBe('send a');
    expect(events.at(-2)).toBe('send d');
    expect((await sessionView(page, sessionId)).items[0]!.savedResponse).toEqual({ type: 'choice', choice: 'd' });

    await page.unroute('**/api/trpc/sessions.answer');
    await page.getByRole('button', { name: '試験を終了する' }).click();
    await page.getByRole('button', { name: '終了して採点する' }).click();
    await page.waitForURL(/\/summary$/);
    const view = await sessionView(page, sessionId);
    expect(view.answeredCount).toBe(1);
    expect(view.items[0]!.result).toMatchObject({ response: { type: 'choice', choice: 'd' }, verdict: CHOICE_1.answer === 'd' ? 'correct' : 'incorrect' });
    await page.close();
  });

  it('counts a pick made in the last second, though its save reaches the server after the deadline', async () => {
    const page = await e2e.browser.newPage();
    const sessionId = await startExam(page, [CHOICE_1, CHOICE_2, MULTI, NUMERIC, TEXT]);
    const deadline = leaveOnly(sessionId, 4_000);
    await page.reload();
    await exam(page).waitFor();
    // The save travels slowly: it arrives after the deadline, within the server's grace.
    await page.route('**/api/trpc/sessions.answer', async (route) => {
      await new Promise((r) => setTimeout(r, 1_200));
      await route.continue();
    });
    await expect.poll(() => remainingMs(page), { interval: 50, timeout: 10_000 }).toBeLessThanOrEqual(1_000);
    expect(await remainingMs(page)).toBeGreaterThan(0);
    await page.locator(`[data-choice="${CHOICE_1.answer}"]`).click();

    await page.waitForURL(/\/summary$/, { timeout: 20_000 });
    const view = await sessionView(page, sessionId);
    expect(view.finishedAt).toBe(deadline);
    expect(view).toMatchObject({ answeredCount: 1, correctCount: 1, score: 0.2 });
    expect(view.items[0]!.result).toMatchObject({ response: { type: 'choice', choice: CHOICE_1.answer }, verdict: 'correct' });
    await expect(page.locator('[data-testid="score"]').innerText()).resolves.toBe('1 / 5 問正解（20%）');
    // It was stored after the deadline: the grace, not an early clock, let it in.
    const db = new Database(e2e.server.dbFile, { readonly: true });
    const stored = db.prepare('select created_at as at from answers where session_id = ?').get(sessionId) as { at: number };
    db.close();
    expect(stored.at).toBeGreaterThan(deadline);
    await page.close();
  });
});
