import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../server/cli/build-state.mjs';
import { useServerAndBrowser } from './harness';

// The fixture bank's choice question (a 0.5, b 0.25, c 1; answer b) comes first in the rnn chapter.
const e2e = useServerAndBrowser({ KAKUNIN_QUESTIONS: path.join(root, 'tests', 'fixtures', 'questions') });

describe('choices in Chromium', () => {
  it('are labelled a, b, c as the 解説 names them, and picked by letter or by number', async () => {
    const page = await e2e.browser.newPage();
    await page.goto(e2e.server.url);
    await page.check('input[value="rnn"]');
    await page.selectOption('select[name="order"]', 'course');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/sessions\/\d+$/);
    await page.locator('article[data-position="0"]').waitFor();

    await expect(page.locator('.choice .key').allInnerTexts()).resolves.toEqual(['a', 'b', 'c']);
    await expect(page.locator('.hint', { hasText: 'キー操作' }).innerText()).resolves.toBe('キー操作: a〜c（または 1〜3）で選択、Enter で回答・次へ');
    await page.keyboard.press('c');
    await expect(page.locator('[data-choice="c"]').getAttribute('aria-checked')).resolves.toBe('true');
    await page.keyboard.press('1');
    await expect(page.locator('[data-choice="a"]').getAttribute('aria-checked')).resolves.toBe('true');
    await page.keyboard.press('Shift+B');
    await expect(page.locator('[data-choice="b"]').getAttribute('aria-checked')).resolves.toBe('true');
    await expect(page.locator('[data-choice="a"]').getAttribute('aria-checked')).resolves.toBe('false');
    await page.keyboard.press('Enter');

    // The result view keeps the same letters beside the right answer.
    const result = page.locator('ul[aria-label="選択肢と正解"]');
    await result.waitFor();
    await expect(result.locator('.key').allInnerTexts()).resolves.toEqual(['a', 'b', 'c']);
    await expect(result.locator('li.is-correct').innerText()).resolves.toMatch(/^b\s*0\.25\s*（正解）$/);
    await page.close();
  });
});
