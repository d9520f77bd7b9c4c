import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../server/cli/build-state.mjs';
import { useServerAndBrowser } from './harness';

const e2e = useServerAndBrowser({ KAKUNIN_QUESTIONS: path.join(root, 'tests', 'fixtures', 'questions') });

describe('今日の復習 in Chromium', () => {
  it('brings back the question answered wrong, and the learner can correct the rating', async () => {
    const page = await e2e.browser.newPage();
    await page.goto(e2e.server.url);
    await page.check('input[value="rnn"]');
    await page.selectOption('select[name="order"]', 'course');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/sessions\/\d+$/);
    await page.locator('article[data-question-id="e2e-a-choice"]').waitFor();
    await page.keyboard.press('1'); // wrong
    await page.keyboard.press('Enter');
    await page.locator('[data-verdict="incorrect"]').waitFor();
    await expect(page.locator('[aria-label="復習の評価"] [aria-pressed="true"]').innerText()).resolves.toBe('もう一度');
    await page.keyboard.press('Enter');
    await page.locator('input[name="answer"]').fill('0.25'); // right
    await page.keyboard.press('Enter');
    await page.locator('[data-verdict="correct"]').waitFor();

    await page.goto(`${e2e.server.url}/review`);
    await expect(page.locator('[data-testid="due-count"]').innerText()).resolves.toBe('1');
    const dueItem = page.locator('[aria-label="復習する問題"] li').first();
    await expect(dueItem.getAttribute('data-question-id')).resolves.toBe('e2e-a-choice');
    // Listed by title with the answers by verdict, never by id.
    await expect(dueItem.innerText()).resolves.toMatch(/^シグモイド関数の導関数の最大値\n再帰型ニューラルネットワーク（RNN） ・ (あと1分|たった今|\d+分前から) ・ 回答 1 回（不正解 1）$/);
    await expect(page.locator('[data-testid="new-available"]').innerText()).resolves.toBe('1');
    await expect(page.locator('[aria-label="今日の新しい問題"] li').allInnerTexts()).resolves.toEqual(['畳み込みの出力サイズ（入力 5×5、フィルタ 3×3） LSTM']);
    expect(await page.locator('main').innerText()).not.toMatch(/e2e-|\\[a-z]+|\$/);

    await page.click('button:has-text("今日の復習を始める")');
    await page.waitForURL(/\/sessions\/\d+$/);
    await page.locator('article[data-question-id="e2e-a-choice"]').waitFor();
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await page.locator('[data-verdict="correct"]').waitFor();
    // Knew it all along: rate it 簡単 instead.
    await page.click('[aria-label="復習の評価"] button:has-text("簡単")');
    await page.locator('[aria-label="復習の評価"] button[aria-pressed="true"]:has-text("簡単")').waitFor();
    await page.goto(`${e2e.server.url}/review`);
    await expect(page.locator('[data-testid="due-count"]').innerText()).resolves.toBe('0');
    await page.close();
  });
});
