import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from './harness';

// The real bank: chapter gru, 記述・用語 only, holds the written item gru-gates-written (4 rubric points).
const e2e = useServerAndBrowser();
const QID = 'gru-gates-written';
/** a right answer in other words: the automatic match pre-ticks all four points */
const ANSWER =
  'リセットゲート r は、新しい中間状態を計算するときに過去の状態をどの程度無視するかを決め、r が 0 に近いと過去を忘れて現在の入力のみから候補を作る。更新ゲート z は、前の状態と候補の比率を決めるもので、z が 0 に近いと前の状態がほぼそのまま保持される。';
const NOTE = '自動判定は目安です。あなたの回答が満たしている観点を確認してください';

interface ItemView {
  questionId: string;
}

async function sessionItems(sessionId: number): Promise<ItemView[]> {
  const res = await fetch(`${e2e.server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`);
  const body = (await res.json()) as { result: { data: { items: ItemView[] } } };
  return body.result.data.items;
}

/** Opens the written item in the runner through the question list. */
async function openItem(page: Page, position: number): Promise<void> {
  await page.locator('nav[aria-label="問題一覧"] button').nth(position).click();
  await page.locator(`article[data-question-id="${QID}"]`).waitFor();
}

const boxes = (page: Page) => page.locator('form.self-assess input[type="checkbox"]');
const ticked = (page: Page) => boxes(page).evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked));
const verdictText = (page: Page) => page.locator('[data-verdict]').first().innerText();

describe('a written answer in Chromium', () => {
  it('shows the model answer and the rubric, and records the score the learner confirms', async () => {
    const page = await e2e.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(e2e.server.url);
    await page.check('input[name="chapter"][value="gru"]');
    await page.check('input[name="kind"][value="written"]');
    await page.selectOption('select[name="order"]', 'course');
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/sessions\/\d+$/);
    const sessionId = Number(new URL(page.url()).pathname.split('/').pop());
    const position = (await sessionItems(sessionId)).findIndex((i) => i.questionId === QID);
    expect(position).toBeGreaterThanOrEqual(0);
    await page.locator('article[data-position="0"]').waitFor();
    await openItem(page, position);

    await page.locator('textarea[name="written"]').fill(ANSWER);
    await page.click('button:has-text("回答する")');

    // Provisional: the automatic match, labelled as a guide; the model answer and the rubric with its ticks.
    await page.locator('form.self-assess[data-confirmed="false"]').waitFor();
    await expect(verdictText(page)).resolves.toMatch(/^正解（100点・自動判定の目安）/);
    await expect(page.locator('.model-answer').innerText()).resolves.toContain('更新ゲート');
    await expect(page.locator('.self-assess-note').innerText()).resolves.toBe(NOTE);
    await expect(ticked(page)).resolves.toEqual([true, true, true, true]);
    await expect(page.locator('[data-testid="self-assess-status"]').innerText()).resolves.toBe('確定するまでは、自動判定の 100点 が仮の得点として記録されています。');
    // the review rating comes from the confirmation, so it is not offered yet
    await expect(page.locator('.rating-control').count()).resolves.toBe(0);

    // Keyboard: the first point has the focus; Space unticks it, Enter confirms.
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).resolves.toBe('point-0');
    await page.keyboard.press('Space');
    await expect(ticked(page)).resolves.toEqual([false, true, true, true]);
    await expect(page.locator('form.self-assess button[type="submit"]').innerText()).resolves.toBe('この内容で確定する（75点）');
    await page.keyboard.press('Enter');

    await page.locator('form.self-assess[data-confirmed="true"]').waitFor();
    await expect(verdictText(page)).resolves.toMatch(/^部分正解（75点・自己採点）/);
    await expect(page.locator('[data-testid="self-assess-status"]').innerText()).resolves.toBe(
      '自己採点の 75点 で記録しました（自動判定は 100点）。復習の予定にも反映されています。',
    );
    // partial → Hard, shown where the learner may still correct it; the next step has the focus
    await expect(page.locator('.rating-control button[aria-pressed="true"]').innerText()).resolves.toBe('難しい');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toMatch(/次の問題へ|結果を見る/);

    // After a reload the confirmation is what the answer is.
    await page.reload();
    await page.locator('article').first().waitFor();
    await openItem(page, position);
    await page.locator('form.self-assess[data-confirmed="true"]').waitFor();
    await expect(verdictText(page)).resolves.toMatch(/^部分正解（75点・自己採点）/);
    await expect(ticked(page)).resolves.toEqual([false, true, true, true]);

    // The summary and the progress page count 75 points.
    await page.goto(`${e2e.server.url}/sessions/${sessionId}/summary`);
    await expect(page.locator('[data-testid="score"]').innerText()).resolves.toMatch(/^回答 1 問中 0 問正解・1 問部分正解（75%）/);
    const summaryItem = page.locator(`.summary-list > li[data-question-id="${QID}"]`);
    await expect(summaryItem.locator('[data-verdict]').innerText()).resolves.toMatch(/^部分正解（75点・自己採点）/);
    await page.goto(`${e2e.server.url}/progress`);
    await expect(page.locator('[data-testid="verdict-counts"]').innerText()).resolves.toBe('0 / 1 / 0');
    await expect(page.locator('table.answer-history tbody tr').first().innerText()).resolves.toContain('部分正解（75点）');

    // Confirmed again on the result page (rendered on the server): every point this time.
    await page.goto(`${e2e.server.url}/sessions/${sessionId}/summary`);
    await summaryItem.locator('input[name="point-0"]').check();
    await summaryItem.locator('button:has-text("確定し直す（100点）")').click();
    await summaryItem.locator('[data-verdict="correct"]').waitFor();
    await expect(summaryItem.locator('[data-verdict]').innerText()).resolves.toMatch(/^正解（100点・自己採点）/);
    await page.reload();
    await expect(page.locator('[data-testid="score"]').innerText()).resolves.toMatch(/^回答 1 問中 1 問正解（100%）/);
    // right → Good, or Easy when answered within 8 s (review.ratingFor), as a quick test run may be
    await expect(summaryItem.locator('.rating-control button[aria-pressed="true"]').innerText()).resolves.toMatch(/^(正解|簡単)$/);
    await page.goto(`${e2e.server.url}/progress`);
    await expect(page.locator('[data-testid="verdict-counts"]').innerText()).resolves.toBe('1 / 0 / 0');
    await page.close();
  });
});
