import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness';

const e2e = useServerAndBrowser();

describe('practising a chapter by kind', () => {
  it('starts a session of only the chapter code items, each with its source badge', async () => {
    const page = await e2e.browser.newPage();
    await page.goto(e2e.server.url);
    await page.check('input[name="chapter"][value="gru"]');
    await page.check('input[name="kind"][value="code"]');
    const summary = page.locator('.start-form .form-row.card .muted.small').last();
    await expect(summary.innerText()).resolves.toMatch(/^1 章・[3-9] 問を出題$/);
    await expect(page.locator('[data-chapter="gru"]').innerText()).resolves.toMatch(/条件に合う [3-9] 問/);
    await page.selectOption('select[name="order"]', 'course');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/sessions\/\d+$/);

    const sessionId = Number(new URL(page.url()).pathname.split('/').pop());
    const view = (await (await fetch(`${e2e.server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`)).json()) as {
      result: { data: { items: { questionId: string; kind: string; chapter: string; source: string }[] } };
    };
    const items = view.result.data.items;
    expect(items.length).toBeGreaterThanOrEqual(3);
    for (const item of items) {
      expect(item.chapter).toBe('gru');
      expect(['code', 'function']).toContain(item.kind);
    }
    // The course's own item comes first in course order and carries its 演習チャレンジ badge.
    expect(items[0]).toMatchObject({ questionId: 'gru-update', source: 'enshu' });
    await page.locator('[data-testid="code-editor"]').waitFor();
    await expect(page.locator('.badge').first().innerText()).resolves.toBe('演習チャレンジ');
    await expect(page.locator('[role="tab"]').allInnerTexts()).resolves.toEqual(['コードを書く', '選択式で答える']);

    // Mouse, then keyboard: after clicking the choice form and a choice, Enter still submits.
    await page.click('[role="tab"]:has-text("選択式で答える")');
    await page.click('[data-choice="a"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-verdict]').waitFor();
    await page.close();
  });
});
