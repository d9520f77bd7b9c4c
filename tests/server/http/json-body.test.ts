import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../../server/bank/bank';
import { bankJsonBodies, JsonBodies } from '../../../server/http/json-body';

const big = (s: string) => s.repeat(Math.ceil(300 / s.length));

describe('JSON bodies with pre-encoded strings', () => {
  it('gives exactly the bytes of JSON.stringify for values with registered, unregistered and short strings', () => {
    const bodies = new JsonBodies();
    const html = big('<span class="katex">解説 "quoted" \\ back\\slash\n</span>');
    const other = big('<p>未登録の長い文字列</p>');
    bodies.register(html);
    const values = [
      { result: { data: { explanationHtml: html, again: html, other, short: 'あ', n: 1.5, none: null, list: [html, 2, other] } } },
      [{ result: { data: html } }, { error: { message: 'セッションが見つかりません。' } }],
      html,
      { nothing: 'registered' },
    ];
    for (const value of values) expect(bodies.serialize(value).toString('utf8')).toBe(JSON.stringify(value));
  });

  it('does not mistake a learner string that looks like a token for a registered one', () => {
    const bodies = new JsonBodies();
    const html = big('<b>登録済み</b>');
    bodies.register(html);
    const first = bodies.serialize({ a: html }).toString('utf8');
    expect(first).toBe(JSON.stringify({ a: html }));
    // whatever a learner types (here: the shapes of a token, with and without a guessed prefix) comes back as typed
    for (const typed of ['0:0', '"abc:0"', `${'0'.repeat(24)}:0`, big('x:0')]) {
      const value = { response: { type: 'text', value: typed }, html };
      expect(bodies.serialize(value).toString('utf8')).toBe(JSON.stringify(value));
    }
  });

  it('matches JSON.stringify for an answer reply of every question of a bank', () => {
    const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));
    const bodies = bankJsonBodies(bank);
    expect(bodies.size).toBeGreaterThan(3); // the fixture's prompts and explanations are long enough to register
    for (const q of bank.questions) {
      const reply = { result: { data: { questionId: q.id, promptHtml: q.html.prompt, choices: Object.values(q.html.choices), result: { explanationHtml: q.html.explanation } } } };
      expect(bodies.serialize(reply).equals(Buffer.from(JSON.stringify(reply), 'utf8'))).toBe(true);
    }
  });
});
