import { beforeAll, describe, expect, it } from 'vitest';
import { gradeCode } from '../../../graders/code/grade-code';
import type { CodeGrader, CodeItem } from '../../../graders/code/types';
import { initBackend } from '../../../graders/numpy/backend-node';

// A template holding several textbook classes runs: the code length limit counts the learner's code only.
const layers = Array.from(
  { length: 110 },
  (_, i) => `class Layer${i}:\n    """A layer kept only to make the template long."""\n    def __init__(self, w):\n        self.params = [w]\n        self.grads = [np.zeros_like(w)]\n\n    def forward(self, x):\n        W, = self.params\n        return x * W + ${i}\n\n`,
).join('');
const item: CodeItem = { id: 'long-template', kind: 'code', template: `${layers}def f(x):\n    layer = Layer3(2.0)\n    return ___\n` };
const grader: CodeGrader = {
  key: 'long-template',
  prelude: '',
  call: 'f(x)',
  knownWrong: [],
  cases: 5,
  makeCase: (rng) => ({ x: rng.int(1, 9) }),
  reference: (inputs) => ({ result: (inputs.x as number) * 2 + 3, blanks: null }),
};

beforeAll(async () => {
  await initBackend('cpu');
});

describe('a long template', () => {
  it('is longer than the learner code limit', () => {
    expect(item.template.length).toBeGreaterThan(25_000);
  });

  it('grades a right blank correct and a wrong one incorrect', () => {
    expect(gradeCode(item, grader, 'layer.forward(x)', 7)).toMatchObject({ verdict: 'correct', passed: 5 });
    expect(gradeCode(item, grader, 'layer.forward(x) + 1', 7).verdict).toBe('incorrect');
  });

  it('still limits the learner’s own code', () => {
    const verdict = gradeCode(item, grader, `layer.forward(x) + len('${'a'.repeat(21_000)}') * 0`, 7);
    expect(verdict.verdict).toBe('error');
    expect(verdict.message).toMatch(/MemoryError/);
  });
});
