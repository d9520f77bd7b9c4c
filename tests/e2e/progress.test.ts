import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { root } from '../../server/cli/build-state.mjs';
import { useServerAndBrowser } from './harness';

// The three-question fixture bank: rnn has a choice (b) and a numeric (0.25) item, lstm a text item (3×3).
const FIXTURE_BANK = path.join(root, 'tests', 'fixtures', 'questions');

const e2e = useServerAndBrowser({ KAKUNIN_QUESTIONS: FIXTURE_BANK });

async function answerAndNext(page: Page, position: number, answer: () => Promise<void>, verdict: string) {
  await page.locator(`article[data-position="${position}"]`).waitFor();
  await answer();
  await page.keyboard.press('Enter');
  const shown = page.locator('[data-verdict]');
  await shown.waitFor();
  expect(await shown.getAttribute('data-verdict')).toBe(verdict);
  await page.keyboard.press('Enter');
}

const cell = (page: Page, chapter: string, col: string) => page.locator(`tr[data-chapter="${chapter}"] td[data-col="${col}"]`).innerText();

describe('the progress page in Chromium', () => {
  it('shows the chapter numbers of the answers just given, and exports them', async () => {
    const page = await e2e.browser.newPage();
    await page.goto(e2e.server.url);
    await page.check('input[value="rnn"]');
    await page.check('input[value="lstm"]');
    await page.selectOption('select[name="order"]', 'course');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/sessions\/\d+$/);
    const sessionId = Number(new URL(page.url()).pathname.split('/').pop());

    await answerAndNext(page, 0, () => page.keyboard.press('1'), 'incorrect'); // choice a: wrong
    await answerAndNext(page, 1, () => page.locator('input[name="answer"]').fill('1/4'), 'correct');
    await answerAndNext(page, 2, () => page.locator('input[name="answer"]').fill('4×4'), 'incorrect');
    await page.waitForURL(/\/summary$/);

    await page.goto(`${e2e.server.url}/progress`);
    await expect(page.locator('[data-testid="total-answers"]').innerText()).resolves.toBe('3');
    expect([await cell(page, 'rnn', 'answered'), await cell(page, 'rnn', 'answers'), await cell(page, 'rnn', 'first-try'), await cell(page, 'rnn', 'latest')]).toEqual([
      '2 / 2', '2', '50%', '50%',
    ]);
    expect([await cell(page, 'lstm', 'answered'), await cell(page, 'lstm', 'answers'), await cell(page, 'lstm', 'first-try')]).toEqual(['1 / 1', '1', '0%']);
    expect(await cell(page, 'gru', 'first-try')).toBe('—');
    expect(await page.locator('tr[data-chapter]').count()).toBe(13);
    // The charts render (recharts SVG), and the same numbers are in the table under them.
    await page.locator('[aria-label="日ごとの学習"] svg.recharts-surface').first().waitFor();
    expect(await page.locator('[aria-label="日ごとの回答数と正答率"] tbody tr').count()).toBe(1);
    expect(await page.locator('[aria-label="日ごとの回答数と正答率"] tbody tr td').allTextContents()).toEqual([expect.any(String), '3', '1', '0', '33%']);
    await expect(page.locator('[data-testid="verdict-counts"]').innerText()).resolves.toBe('1 / 0 / 2');
    // Weakest: the two wrongly answered questions, by title (equally often wrong: the one answered earlier, more
    // forgotten, first), each with a link to the session that shows its 解説.
    expect(await page.locator('.weak-list li').evaluateAll((items) => items.map((li) => li.getAttribute('data-question-id')))).toEqual(['e2e-a-choice', 'e2e-c-text']);
    expect(await page.locator('.weak-list .practice-link').allInnerTexts()).toEqual(['シグモイド関数の導関数の最大値', '畳み込みの出力サイズ（入力 5×5、フィルタ 3×3）']);
    await expect(page.locator('.weak-list [data-testid="weak-detail"]').first().innerText()).resolves.toMatch(
      /^再帰型ニューラルネットワーク（RNN） · 回答 1 回（不正解 1） · 最新 0点 · 想起確率 (9\d|100)%（学習中） · 前回の解説$/,
    );
    await expect(page.locator('.weak-list li a', { hasText: '前回の解説' }).first().getAttribute('href')).resolves.toBe(`/sessions/${sessionId}/summary`);
    expect(await page.locator('.answer-history tbody tr').count()).toBe(3);
    expect(await page.locator('.answer-history .practice-link').allInnerTexts()).toEqual([
      '畳み込みの出力サイズ（入力 5×5、フィルタ 3×3）', 'シグモイド関数の x = 0 での微分係数', 'シグモイド関数の導関数の最大値',
    ]);
    // No question id and no raw LaTeX anywhere on the page.
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/e2e-|\\[a-z]+|\$|\^\{|_\{/);

    // JSON export: a download with the three answers.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
    expect(download.suggestedFilename()).toMatch(/^kakunin-history-\d{8}\.json$/);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { format: string; answers: { questionId: string; verdict: string; sessionId: number }[] };
    expect(file.format).toBe('kakunin-history');
    expect(file.answers.map((a) => [a.sessionId, a.questionId, a.verdict])).toEqual([
      [sessionId, 'e2e-a-choice', 'incorrect'],
      [sessionId, 'e2e-b-numeric', 'correct'],
      [sessionId, 'e2e-c-text', 'incorrect'],
    ]);
    // The CSV is for people: Japanese headers, titles, verdicts in words, no JSON.
    const csvResponse = await fetch(`${e2e.server.url}/progress/export?format=csv`);
    expect(csvResponse.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csvResponse.headers.get('content-disposition')).toMatch(/^attachment; filename="kakunin-history-\d{8}\.csv"$/);
    const csvBytes = Buffer.from(await csvResponse.arrayBuffer());
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvLines = csvBytes.toString('utf8').slice(1).split('\r\n');
    expect(csvLines[0]).toBe('日時,種別,章,問題,形式,回答,判定,得点,所要時間（秒）');
    expect(csvLines.slice(1).map((l) => l.replace(/^[^,]*,/, '').replace(/,[^,]*$/, ''))).toEqual([
      '演習,再帰型ニューラルネットワーク（RNN）,シグモイド関数の導関数の最大値,選択,a,不正解,0',
      '演習,再帰型ニューラルネットワーク（RNN）,シグモイド関数の x = 0 での微分係数,数値,1/4,正解,100',
      '演習,LSTM,畳み込みの出力サイズ（入力 5×5、フィルタ 3×3）,短答,4×4,不正解,0',
      '',
    ]);
    expect(csvLines[1]).toMatch(/^20\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d,/);

    // Importing into a history that already has answers is refused, in Japanese, and shown on the page.
    await page.setInputFiles('input[name="history"]', { name: 'history.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await page.click('form[aria-label="履歴の読み込み"] button[type="submit"]');
    await expect(page.locator('.import-error').innerText()).resolves.toContain('すでに 3 件の回答の記録があるため読み込めません');

    // The home page's summary agrees; the weak questions start a session of exactly those two.
    await page.goto(e2e.server.url);
    await expect(page.locator('[data-testid="home-answers"]').innerText()).resolves.toBe('3');
    await expect(page.locator('[data-testid="home-accuracy"]').innerText()).resolves.toBe('33%');
    // Chapter cards: the meter is coverage (rnn 2 of 2, gru none), the text says coverage and accuracy apart.
    await expect(page.locator('[data-chapter="rnn"] .muted.small').innerText()).resolves.toBe('2 問 · 解いた問題 2 / 2 · 正答率 50%');
    await expect(page.locator('[data-chapter="rnn"] .meter').getAttribute('aria-label')).resolves.toBe('解いた問題の割合 100%');
    await expect(page.locator('[data-chapter="gru"] .meter').getAttribute('aria-label')).resolves.toBe('解いた問題の割合 0%');
    await page.goto(`${e2e.server.url}/progress`);
    await page.click('text=この2問を練習');
    await page.waitForURL(/\/sessions\/\d+$/);
    await page.locator('article[data-position="0"]').waitFor();
    await expect(page.locator('.progress-count').innerText()).resolves.toBe('1 / 2');

    // A title in the weak list practises that one question.
    await page.goto(`${e2e.server.url}/progress`);
    await page.locator('.weak-list .practice-link', { hasText: '畳み込みの出力サイズ' }).click();
    await page.waitForURL(/\/sessions\/\d+$/);
    await page.locator('article[data-question-id="e2e-c-text"]').waitFor();
    await expect(page.locator('.progress-count').innerText()).resolves.toBe('1 / 1');
    await page.close();
  });
});
