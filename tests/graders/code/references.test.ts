import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareValues, FLOAT32_TOLERANCE } from '../../../graders/code/compare';
import { gradeCode, makeCases, runExample } from '../../../graders/code/grade-code';
import { initBackend } from '../../../graders/numpy/backend-node';
import { GRADERS, graderFor } from '../../../graders/references/index';
import { buildBank } from '../../../server/bank/bank';
import type { Question } from '../../../server/bank/types';

const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
const codeQuestions = bank.questions.filter((q): q is Extract<Question, { kind: 'code' | 'function' }> => q.kind === 'code' || q.kind === 'function');

const unquote = (text: string) => text.replace(/^`|`$/g, '');

beforeAll(async () => {
  await initBackend('cpu');
});

describe('code items', () => {
  it('every code item in the bank has a grader, and every grader a question', () => {
    for (const q of codeQuestions) expect(graderFor(q), q.id).toBeDefined();
    const keys = new Set(codeQuestions.map((q) => q.grader ?? q.id));
    expect([...GRADERS.keys()].filter((k) => !keys.has(k))).toEqual([]);
    expect(codeQuestions.length).toBeGreaterThanOrEqual(12);
  });

  describe.each(codeQuestions.map((q) => [q.id, q] as const))('%s', (id, q) => {
    const grader = graderFor(q)!;

    it('grades the model answer correct on 50 seeds', () => {
      for (let seed = 1; seed <= 50; seed++) {
        const verdict = gradeCode(q, grader, q.solution.trim(), seed * 7919);
        expect(verdict.verdict, `seed ${seed * 7919}: ${verdict.message}`).toBe('correct');
        expect(verdict.passed).toBe(grader.cases);
      }
    });

    it('grades every wrong choice and two more wrong answers not correct', () => {
      const wrong = [...grader.knownWrong];
      expect(grader.knownWrong.length, 'two known wrong answers').toBeGreaterThanOrEqual(2);
      if (q.kind === 'code' && q.choices) {
        for (const c of q.choices) if (c.id !== q.answer && !q.equivalent?.includes(c.id)) wrong.push(unquote(c.text));
      }
      expect(wrong.length).toBeGreaterThanOrEqual(2);
      for (const answer of wrong) {
        const verdict = gradeCode(q, grader, answer, 424242);
        expect(verdict.verdict, answer).not.toBe('correct');
        expect(verdict.message.length).toBeGreaterThan(5);
      }
    });

    it.runIf(q.kind === 'code' && q.equivalent)('grades the choices marked equivalent correct when typed', () => {
      if (q.kind !== 'code') return;
      for (const id of q.equivalent ?? []) {
        const text = unquote(q.choices!.find((c) => c.id === id)!.text);
        expect(gradeCode(q, grader, text, 31337).verdict, text).toBe('correct');
      }
    });

    it('gives the same inputs for the same seed, other inputs for another seed', () => {
      expect(makeCases(grader, 99)).toEqual(makeCases(grader, 99));
      expect(JSON.stringify(makeCases(grader, 99))).not.toBe(JSON.stringify(makeCases(grader, 100)));
      expect(grader.cases).toBeGreaterThanOrEqual(5);
    });

    it('reports a syntax error with its position in the answer', () => {
      const broken = q.kind === 'function' ? 'def f(x)\n    return x' : 'np.concatenate([a, b]';
      const verdict = gradeCode(q, grader, broken, 1);
      expect(verdict.verdict).toBe('error');
      expect(verdict.cases[0]?.error).toMatchObject({ type: 'SyntaxError', where: 'answer', line: 1 });
      expect(verdict.message).toMatch(/^SyntaxError: .+（1行\d+列）$/);
    });
  });
});

describe('grading details', () => {
  const birnn = codeQuestions.find((q) => q.id === 'birnn-concat')!;
  const grader = graderFor(birnn)!;

  it('reports a wrong shape of the blank as incorrect with both shapes', () => {
    const verdict = gradeCode(birnn, grader, 'np.concatenate([h_f, h_b[::-1]], axis=0)', 5);
    expect(verdict).toMatchObject({ verdict: 'incorrect', passed: 0, total: 5 });
    expect(verdict.cases[0]?.mismatch).toMatchObject({ source: 'blank', blankIndex: 0, kind: 'shape', expectedShape: [3, 8], gotShape: [6, 4] });
    expect(verdict.message).toBe('例のケースで参照実装と一致しません。空欄の値（1 回目）: 形が違います: 期待 (3, 8)、実際 (6, 4)');
  });

  it('locates a runtime error in the learner code', () => {
    const verdict = gradeCode(birnn, grader, 'np.concatenate([h_f, h_x], axis=1)', 5);
    expect(verdict.verdict).toBe('error');
    expect(verdict.cases[0]?.error).toMatchObject({ type: 'NameError', where: 'answer', line: 1, col: 22 });
  });

  it('stops at the time limit with a clean error', () => {
    const fn = codeQuestions.find((q) => q.id === 'attention-softmax-function')!;
    const verdict = gradeCode(fn, graderFor(fn)!, 'def softmax(x):\n    while True:\n        pass', 1, { caseTimeoutMs: 200 });
    expect(verdict.verdict).toBe('error');
    expect(verdict.cases).toHaveLength(1);
    expect(verdict.cases[0]?.error?.limit).toMatch(/timeoutMs|maxSteps/);
    expect(verdict.message).toContain('TimeoutError');
  });

  describe('a blank inside a loop (its values are read with the result, in one read per case)', () => {
    const bptt = codeQuestions.find((q) => q.id === 'rnn-bptt-delta')!;
    const bpttGrader = graderFor(bptt)!;

    it('names the first evaluation whose value differs, though the run went on', () => {
      // s runs 3, 2, 1 in the first pass of t: the third evaluation (index 2) is the first wrong one
      const verdict = gradeCode(bptt, bpttGrader, 'delta_t.dot(U) if s != 1 else delta_t.dot(U) * 2', 7);
      expect(verdict).toMatchObject({ verdict: 'incorrect', passed: 0 });
      expect(verdict.cases[0]?.mismatch).toMatchObject({ source: 'blank', blankIndex: 2, kind: 'value', expectedShape: [3, 6], index: [0, 0] });
      expect(verdict.message).toMatch(/^例のケースで参照実装と一致しません。空欄の値（3 回目）: 値が違います: 位置 \[0, 0\] で期待 -?\d/);
    });

    it('reports an earlier wrong value before a later wrong shape or a later error', () => {
      const shape = gradeCode(bptt, bpttGrader, 'delta_t.dot(U) * 2 if s > 0 else delta_t[:, :2]', 7);
      expect(shape.cases[0]?.mismatch).toMatchObject({ source: 'blank', blankIndex: 0, kind: 'value' });
      const error = gradeCode(bptt, bpttGrader, 'delta_t.dot(U) * 2 if s > 0 else no_such_name', 7);
      expect(error.verdict).toBe('incorrect');
      expect(error.cases[0]?.mismatch).toMatchObject({ source: 'blank', blankIndex: 0, kind: 'value' });
      expect(error.cases[0]?.error).toBeUndefined();
    });

    it('stops at a wrong shape at once, and a right value before it is no mismatch', () => {
      const verdict = gradeCode(bptt, bpttGrader, 'delta_t.dot(U) if s > 1 else delta_t[:, :2]', 7);
      expect(verdict.cases[0]?.mismatch).toMatchObject({ source: 'blank', blankIndex: 2, kind: 'shape', expectedShape: [3, 6], gotShape: [3, 2] });
      expect(verdict.message).toBe('例のケースで参照実装と一致しません。空欄の値（3 回目）: 形が違います: 期待 (3, 6)、実際 (3, 2)');
    });

    it('keeps every value the blank produced for 実行, in order', () => {
      const run = runExample(bptt, bpttGrader, 'delta_t.dot(U)', 7);
      const expected = bpttGrader.reference(run.inputs);
      expect(run.blanks).toHaveLength(10);
      expect(run.blanks.map((b, i) => compareValues(expected.blanks![i]!, b, FLOAT32_TOLERANCE)?.message)).toEqual(Array(10).fill(undefined));
      // and each differs from the next: the order is the loop's, not one value repeated
      expect(new Set(run.blanks.map((b) => JSON.stringify(b))).size).toBe(10);
    });
  });

  it('runs the visible example without comparing', () => {
    const run = runExample(birnn, grader, 'np.concatenate([h_f, h_b[::-1]], axis=1)', 5);
    expect(run.ok).toBe(true);
    expect(run.blanks).toHaveLength(2);
    expect(run.result).toMatchObject({ shape: [2, 3, 6] });
    expect(Object.keys(run.inputs).sort()).toEqual(['U_b', 'U_f', 'V', 'W_b', 'W_f', 'xs']);
  });
});
