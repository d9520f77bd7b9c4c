import type { Page } from 'playwright-core';
import type { SessionView } from '../../server/services/sessions';

/**
 * A walk over every page a learner sees, shared by the responsive e2e test and the screenshot script
 * (tests/e2e/screenshots.ts). `seedWalk` makes the data the pages need: a practice session with a choice and
 * a code item (the choice answered) and a running mock exam.
 */

export interface WalkData {
  practiceId: number;
  /** position of a choice item, answered by the seed (so its verdict and 解説 show) */
  choicePosition: number;
  /** position of an unanswered code item */
  codePosition: number;
  mockId: number;
}

export interface Stop {
  name: string;
  path: string;
  /** brings the page into the state to look at, after `goto` */
  ready(page: Page): Promise<void>;
}

async function sessionView(page: Page, sessionId: number): Promise<SessionView> {
  return page.evaluate(async (id) => {
    const res = await fetch(`/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId: id }))}`);
    return (await res.json()).result.data;
  }, sessionId);
}

async function rpc<T>(page: Page, procedure: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ({ procedure, input }) => {
      const res = await fetch(`/api/trpc/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
      const body = await res.json();
      if (!res.ok) throw new Error(`${procedure}: ${res.status} ${JSON.stringify(body)}`);
      return body.result.data;
    },
    { procedure, input },
  );
}

const questionNav = (page: Page) => page.locator('nav[aria-label="問題一覧"]');

/** Opens question `position` of the practice session on screen (the runner resumes at the first open one). */
async function openPosition(page: Page, position: number): Promise<void> {
  await page.locator('article[data-position]').waitFor();
  await questionNav(page).locator('button').nth(position).click();
  await page.locator(`article[data-position="${position}"]`).waitFor();
}

/** Creates the walk's data as the local learner of a fresh server (page must be on the server's origin). */
export async function seedWalk(page: Page, base: string): Promise<WalkData> {
  await page.goto(base);
  // The RNN chapter in course order: its display math is among the widest in the bank.
  const { sessionId: practiceId } = await rpc<{ sessionId: number }>(page, 'sessions.start', { chapters: ['rnn'], count: 100, order: 'course' });
  const view = await sessionView(page, practiceId);
  const withMath = view.items.find((i) => i.kind === 'choice' && i.promptHtml.includes('katex-display'));
  const choice = withMath ?? view.items.find((i) => i.kind === 'choice');
  const code = view.items.find((i) => i.kind === 'code');
  if (!choice || !code) throw new Error('the RNN chapter has no choice or no code item');

  await page.goto(`${base}/sessions/${practiceId}`);
  await openPosition(page, choice.position);
  await page.locator('.choice').first().click();
  await page.getByRole('button', { name: '回答する' }).click();
  await page.locator('[data-verdict]').waitFor();

  const { sessionId: mockId } = await rpc<{ sessionId: number }>(page, 'sessions.startMock', { size: 5 });
  return { practiceId, choicePosition: choice.position, codePosition: code.position, mockId };
}

const nothing = async () => {};

/** Every page of the app, in the order a learner meets them. */
export function stops(data: WalkData): Stop[] {
  return [
    { name: 'home', path: '/', ready: (page) => page.locator('[data-chapter]').first().waitFor() },
    {
      name: 'practice-choice',
      path: `/sessions/${data.practiceId}`,
      ready: async (page) => {
        await openPosition(page, data.choicePosition);
        await page.locator('[data-verdict]').waitFor();
      },
    },
    {
      name: 'practice-code',
      path: `/sessions/${data.practiceId}`,
      ready: async (page) => {
        await openPosition(page, data.codePosition);
        await page.locator('[data-testid="code-editor"] .cm-editor').waitFor();
        // the grading engine's hint, as the learner reads it once the worker is ready
        await page.waitForFunction(() => !!document.querySelector('[data-backend]')?.getAttribute('data-backend'), null, { timeout: 90_000, polling: 250 });
      },
    },
    { name: 'summary', path: `/sessions/${data.practiceId}/summary`, ready: (page) => page.locator('h1').first().waitFor() },
    { name: 'review', path: '/review', ready: (page) => page.locator('[data-testid="due-count"]').waitFor() },
    { name: 'progress', path: '/progress', ready: (page) => page.locator('.recharts-surface').first().waitFor() },
    { name: 'mock', path: '/mock', ready: (page) => page.locator('[data-size="5"]').waitFor() },
    { name: 'mock-exam', path: `/sessions/${data.mockId}`, ready: (page) => page.locator('article[aria-label="模擬試験"]').waitFor() },
    { name: 'signin', path: '/signin', ready: (page) => page.locator('form').first().waitFor() },
    { name: 'signup', path: '/signup', ready: (page) => page.locator('form').first().waitFor() },
    { name: 'not-found', path: '/kakunin-no-such-page', ready: nothing },
  ];
}
