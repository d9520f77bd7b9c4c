import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { root } from '../../server/cli/build-state.mjs';
import { useServerAndBrowser } from './harness';

// A fixture bank of three questions (choice, numeric, text) keeps the flow deterministic.
const FIXTURE_BANK = path.join(root, 'tests', 'fixtures', 'questions');

const e2e = useServerAndBrowser({ KAKUNIN_QUESTIONS: FIXTURE_BANK });

async function verdictOf(page: Page): Promise<string | null> {
  const verdict = page.locator('[data-verdict]');
  await verdict.waitFor();
  return verdict.getAttribute('data-verdict');
}

describe('a practice session in Chromium', () => {
  it('is taken with the keyboard, survives a reload and ends in a summary', async () => {
    const page = await e2e.browser.newPage();
    await page.goto(e2e.server.url);
    await expect(page.locator('[data-chapter]').count()).resolves.toBe(13);
    await expect(page.locator('[data-chapter="rnn"]').innerText()).resolves.toContain('2 問');

    await page.check('input[value="rnn"]');
    await page.check('input[value="lstm"]');
    await page.selectOption('select[name="order"]', 'course');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/sessions\/\d+$/);
    const sessionId = Number(new URL(page.url()).pathname.split('/').pop());

    // Question 1: math rendered by KaTeX on the server; no answer key in the payload before answering.
    await page.locator('article[data-position="0"]').waitFor();
    await expect(page.locator('.progress-count').innerText()).resolves.toBe('1 / 3');
    expect(await page.locator('.prompt .katex').count()).toBeGreaterThan(0);
    const before = await (await fetch(`${e2e.server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`)).text();
    expect(before).not.toContain('"key"');
    expect(before).not.toContain('explanationHtml');

    await page.keyboard.press('2');
    await expect(page.locator('[data-choice="b"]').getAttribute('aria-checked')).resolves.toBe('true');
    await page.keyboard.press('Enter');
    expect(await verdictOf(page)).toBe('correct');
    expect(await page.locator('.explanation .katex').count()).toBeGreaterThan(0);

    // Question 2: a numeric answer written as a fraction.
    await page.keyboard.press('Enter');
    await page.locator('article[data-position="1"]').waitFor();
    await page.locator('input[name="answer"]').fill('1/4');
    await page.keyboard.press('Enter');
    expect(await verdictOf(page)).toBe('correct');

    // Reload in the middle: the session resumes at question 3 with the earlier answers kept.
    await page.keyboard.press('Enter');
    await page.locator('article[data-position="2"]').waitFor();
    await page.reload();
    await page.locator('article[data-position="2"]').waitFor();
    await expect(page.locator('.progress-count').innerText()).resolves.toBe('3 / 3');
    await expect(page.locator('nav[aria-label="問題一覧"]').innerText()).resolves.toMatch(/1 ✓[\s\S]*2 ✓/);
    await page.click('text=前の問題');
    await page.locator('article[data-position="1"]').waitFor();
    expect(await verdictOf(page)).toBe('correct');
    await expect(page.locator('.learner-answer').innerText()).resolves.toBe('1/4');
    await page.click('text=次の問題へ');

    // Question 3: a wrong text answer, then the summary.
    await page.locator('article[data-position="2"]').waitFor();
    await page.locator('input[name="answer"]').fill('4×4');
    await page.keyboard.press('Enter');
    expect(await verdictOf(page)).toBe('incorrect');
    await expect(page.locator('[aria-label="採点結果"]').innerText()).resolves.toContain('3×3');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/summary$/);
    await expect(page.locator('[data-testid="score"]').innerText()).resolves.toBe('回答 3 問中 2 問正解（67%）');
    expect(await page.locator('.summary-list > li').count()).toBe(3);
    await page.close();
  });

  it('keeps the answers across a server restart', async () => {
    const page = await e2e.browser.newPage();
    await page.goto(e2e.server.url);
    await page.check('input[value="lstm"]');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/sessions\/\d+$/);
    await page.locator('input[name="answer"]').fill('3x3');
    await page.keyboard.press('Enter');
    expect(await verdictOf(page)).toBe('correct');

    await e2e.server.restart();
    await page.reload();
    await page.locator('[data-verdict]').waitFor();
    expect(await verdictOf(page)).toBe('correct');
    await page.goto(e2e.server.url);
    await expect(page.locator('[aria-label="途中のセッション"]').count()).resolves.toBe(0);
    // one wrong in the first test, one right here (the meter shows coverage, the text accuracy)
    await expect(page.locator('[data-chapter="lstm"]').innerText()).resolves.toMatch(/解いた問題 1 \/ 1[\s\S]*正答率 50%/);
    await page.close();
  });

  it('opens the next question scrolled to its stem, with the stem focused', async () => {
    // A short window, so the answered question's 解説 pushes 次の問題へ below the stem.
    const page = await e2e.browser.newPage({ viewport: { width: 390, height: 400 } });
    const sessionId = await startFixtureSession(page);
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    expect(await verdictOf(page)).toBe('correct');
    const next = page.locator('button:has-text("次の問題へ")');
    await next.scrollIntoViewIfNeeded();
    // Before: this question's stem is above the screen (otherwise the test would prove nothing).
    expect((await stemBox(page)).top).toBeLessThan(0);

    await next.click();
    await page.locator('article[data-position="1"]').waitFor();
    await page.waitForFunction(() => document.activeElement?.classList.contains('stem-heading') === true);
    const box = await stemBox(page);
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.top).toBeLessThan(box.viewport);
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('第 2 問');
    await finishViaApi(sessionId);
    await page.close();
  });

  it('asks before finishing with unanswered questions, scores the answered ones and retries exactly the wrong ones', async () => {
    const page = await e2e.browser.newPage();
    const sessionId = await startFixtureSession(page);
    await page.keyboard.press('2'); // b: right
    await page.keyboard.press('Enter');
    expect(await verdictOf(page)).toBe('correct');
    await page.keyboard.press('Enter');
    await page.locator('article[data-position="1"]').waitFor();
    await page.locator('input[name="answer"]').fill('0.3'); // wrong
    await page.keyboard.press('Enter');
    expect(await verdictOf(page)).toBe('incorrect');

    // 終了 with one question left: a modal dialog asks; 続ける keeps the session as it was.
    await page.click('button:has-text("終了して結果を見る")');
    const dialog = page.getByRole('dialog', { name: 'まだ 1 問が未回答です。終了しますか？' });
    await dialog.waitFor();
    await expect(dialog.getByRole('button', { name: '続ける' }).evaluate((b) => b === document.activeElement)).resolves.toBe(true);
    await dialog.getByRole('button', { name: '続ける' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe(`/sessions/${sessionId}`);
    expect((await sessionView(sessionId)).finishedAt).toBeNull();

    // Escape cancels too; then 終了する ends it and opens the summary.
    await page.click('button:has-text("終了して結果を見る")');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await sessionView(sessionId)).finishedAt).toBeNull();
    await page.click('button:has-text("終了して結果を見る")');
    await dialog.getByRole('button', { name: '終了する' }).click();
    await page.waitForURL(new RegExp(`/sessions/${sessionId}/summary$`));
    await expect(page.locator('[data-testid="score"]').innerText()).resolves.toBe('回答 2 問中 1 問正解（50%）・未回答 1 問');
    await expect(page.locator('ol[aria-label="未回答の問題"] > li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-question-id')))).resolves.toEqual(['e2e-c-text']);
    await expect(page.getByRole('region', { name: 'スコア' }).getByRole('link', { name: '今日の復習' }).getAttribute('href')).resolves.toBe('/review');

    await page.getByRole('button', { name: '間違えた問題をもう一度（1 問）' }).click();
    await page.waitForURL((url) => /^\/sessions\/\d+$/.test(url.pathname) && url.pathname !== `/sessions/${sessionId}`);
    const retryId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.locator('article[data-position="0"]').waitFor();
    const retry = await sessionView(retryId);
    expect(retry.items.map((i) => i.questionId)).toEqual(['e2e-b-numeric']);
    expect(retry).toMatchObject({ mode: 'practice', finishedAt: null });

    // Every question answered: 終了 asks nothing.
    await page.locator('input[name="answer"]').fill('0.25');
    await page.keyboard.press('Enter');
    expect(await verdictOf(page)).toBe('correct');
    await page.click('button:has-text("終了して結果を見る")');
    await page.waitForURL(new RegExp(`/sessions/${retryId}/summary$`));
    await expect(page.locator('[data-testid="score"]').innerText()).resolves.toBe('回答 1 問中 1 問正解（100%）');
    expect(await page.getByRole('button', { name: /間違えた問題をもう一度/ }).count()).toBe(0);
    await page.close();
  });
});

/** Starts a session of the three fixture questions (course order) from the home page. */
async function startFixtureSession(page: Page): Promise<number> {
  await page.goto(e2e.server.url);
  await page.check('input[value="rnn"]');
  await page.check('input[value="lstm"]');
  await page.selectOption('select[name="order"]', 'course');
  await page.click('button[type="submit"]');
  await page.waitForURL(/\/sessions\/\d+$/);
  await page.locator('article[data-position="0"]').waitFor();
  return Number(new URL(page.url()).pathname.split('/').pop());
}

async function stemBox(page: Page): Promise<{ top: number; viewport: number }> {
  return page.locator('.stem-heading').evaluate((h) => ({ top: h.getBoundingClientRect().top, viewport: window.innerHeight }));
}

async function sessionView(sessionId: number): Promise<{ finishedAt: number | null; mode: string; items: { questionId: string }[] }> {
  const res = await fetch(`${e2e.server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`);
  return ((await res.json()) as { result: { data: { finishedAt: number | null; mode: string; items: { questionId: string }[] } } }).result.data;
}

async function finishViaApi(sessionId: number): Promise<void> {
  const res = await fetch(`${e2e.server.url}/api/trpc/sessions.finish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId }) });
  expect(res.status).toBe(200);
}
