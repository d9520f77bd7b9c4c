import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../../server/bank/bank';
import { CHAPTER_SLUGS } from '../../../server/bank/chapters';
import { loadBank } from '../../../server/bank/load';
import { gradeAnswer } from '../../../graders/answers/grade-answer';
import type { Question } from '../../../server/bank/types';
import type { Response } from '../../../graders/answers/response';

const root = path.resolve(__dirname, '..', '..', '..');

/** The course's choice and short-answer items (shared/seed-items.md) with their right answers' key words. */
const SEED_ITEMS: Record<string, { chapter: string; kind: string; answerText: RegExp }> = {
  'cnn-output-size': { chapter: 'rnn', kind: 'text', answerText: /^3×3$/ },
  'rnn-third-weight': { chapter: 'rnn', kind: 'choice', answerText: /前の時刻|一つ前|1つ前|前時刻/ },
  'sigmoid-grad-max': { chapter: 'lstm', kind: 'choice', answerText: /0\.25/ },
  'lstm-which-gate': { chapter: 'lstm', kind: 'choice', answerText: /忘却ゲート/ },
  'gru-lstm-cec-problems': { chapter: 'gru', kind: 'choice', answerText: /パラメータ/ },
  'gru-vs-lstm': { chapter: 'gru', kind: 'choice', answerText: /リセットゲート|更新ゲート/ },
  'seq2seq-which': { chapter: 'seq2seq', kind: 'choice', answerText: /エンコーダ|Encoder|翻訳/ },
  'hred-vhred': { chapter: 'seq2seq', kind: 'choice', answerText: /VHRED/ },
  'vae-blank': { chapter: 'seq2seq', kind: 'text', answerText: /^確率分布$/ },
  'attention-contrast': { chapter: 'attention', kind: 'choice', answerText: /Attention/ },
  'wavenet-dilated': { chapter: 'applied-models', kind: 'choice', answerText: /Dilated causal/i },
  'wavenet-advantage': { chapter: 'applied-models', kind: 'choice', answerText: /受容野/ },
};
const DESCRIPTIVE = ['rnn-third-weight', 'gru-lstm-cec-problems', 'gru-vs-lstm', 'hred-vhred', 'attention-contrast'];

function modelResponse(q: Question): Response | undefined {
  switch (q.kind) {
    case 'choice':
      return { type: 'choice', choice: q.answer };
    case 'multi':
      return { type: 'multi', choices: q.answer };
    case 'numeric':
      return { type: 'numeric', value: String(q.answer) };
    case 'text':
      return { type: 'text', value: q.answer };
    case 'written':
      return { type: 'written', value: q.written.modelAnswer };
    default:
      return undefined; // code items are graded by running them (tests/graders/code)
  }
}

describe('the question bank on disk', () => {
  const { questions, problems } = loadBank(path.join(root, 'questions'));

  it('loads with no problem and every KaTeX expression rendered (throwOnError)', () => {
    expect(problems).toEqual([]);
    expect(questions.length).toBeGreaterThanOrEqual(Object.keys(SEED_ITEMS).length);
  });

  it('gives every question a title of its own within its chapter', () => {
    const byChapter = new Map<string, Set<string>>();
    for (const q of questions) {
      expect(q.title.length, q.id).toBeGreaterThan(0);
      const seen = byChapter.get(q.chapter) ?? new Set<string>();
      expect(seen.has(q.title), `${q.id}: ${q.title}`).toBe(false);
      byChapter.set(q.chapter, seen.add(q.title));
    }
    expect(questions.find((q) => q.id === 'lstm-forget-gate-gradient-product')?.title).toBe('LSTM の忘却ゲートと勾配の積（計算）');
  });

  it('uses only the course chapters', () => {
    for (const q of questions) expect(CHAPTER_SLUGS).toContain(q.chapter);
  });

  it.each(Object.entries(SEED_ITEMS))('has the seed item %s with the right answer', (id, want) => {
    const q = questions.find((x) => x.id === id);
    expect(q, id).toBeDefined();
    expect(q!.chapter).toBe(want.chapter);
    expect(q!.kind).toBe(want.kind);
    expect(q!.source).toBe('kakunin');
    const answerText = q!.kind === 'choice' ? q!.choices.find((c) => c.id === q!.answer)!.text : q!.kind === 'text' ? q!.answer : '';
    expect(answerText).toMatch(want.answerText);
  });

  it.each(DESCRIPTIVE)('offers %s in both the choice and the written form', (id) => {
    const q = questions.find((x) => x.id === id)!;
    expect(q.kind).toBe('choice');
    expect(q.written?.rubric.length).toBeGreaterThanOrEqual(2);
    const graded = gradeAnswer(q, { type: 'written', value: q.written!.modelAnswer });
    expect(graded).toMatchObject({ ok: true, graded: { verdict: 'correct', score: 1 } });
  });

  it('grades every model answer correct and every other choice not correct', () => {
    for (const q of questions) {
      const response = modelResponse(q);
      if (response) expect(gradeAnswer(q, response), q.id).toMatchObject({ ok: true, graded: { verdict: 'correct' } });
      if (q.kind === 'choice') {
        for (const c of q.choices.filter((c) => c.id !== q.answer)) {
          expect(gradeAnswer(q, { type: 'choice', choice: c.id }), `${q.id} ${c.id}`).toMatchObject({ ok: true, graded: { verdict: 'incorrect' } });
        }
      }
    }
  });
});

describe('npm run bank', () => {
  it('lint exits 0 and export prints the bank as one JSON array with answers', () => {
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const lint = execFileSync(tsx, ['server/bank/cli.ts', 'lint'], { cwd: root, encoding: 'utf8' });
    expect(lint).toMatch(/^OK: \d+ 問/);
    const exported = JSON.parse(execFileSync(tsx, ['server/bank/cli.ts', 'export'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Record<string, unknown>[];
    const bank = buildBank(path.join(root, 'questions'));
    expect(exported).toHaveLength(bank.questions.length);
    const sigmoid = exported.find((q) => q.id === 'sigmoid-grad-max')!;
    expect(Object.keys(sigmoid)).toEqual(expect.arrayContaining(['id', 'title', 'chapter', 'source', 'kind', 'prompt', 'choices', 'answer']));
    expect(sigmoid.title).toBe('シグモイド関数の導関数の最大値');
    const choices = sigmoid.choices as { id: string; text: string }[];
    expect(choices.find((c) => c.id === sigmoid.answer)?.text).toBe('0.25');
    expect(exported.find((q) => q.id === 'cnn-output-size')).toMatchObject({ kind: 'text', answer: '3×3' });
    expect(exported.every((q) => q !== null && typeof q.id === 'string')).toBe(true);
    expect(exported.find((q) => q.id === 'birnn-concat')).toMatchObject({
      kind: 'code',
      source: 'enshu',
      answer: 'np.concatenate([h_f, h_b[::-1]], axis=1)',
      template: expect.stringContaining('hs = np.array([___ for h_f, h_b in zip(hs_f, hs_b)])'),
      answerChoice: expect.stringMatching(/^[a-d]$/),
    });
  });

  it('lint exits non-zero and names the file on a broken bank', () => {
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(tsx, ['server/bank/cli.ts', 'lint'], {
        cwd: root,
        encoding: 'utf8',
        stdio: 'pipe',
        env: { ...process.env, KAKUNIN_QUESTIONS: path.join(root, 'tests', 'fixtures', 'broken-bank') },
      });
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toContain('rnn/broken.md: answer:');
  });
});
