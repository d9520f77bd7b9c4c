// The golden textbook layer library (tests/golden/numpy/textbook_layers.py) beyond what real numpy can pin:
// UnigramSampler draws from our own generator, so its output is checked by properties (shape, dtype, no repeat
// within a row, never the target, only in-vocabulary ids that have probability > 0); collections / sets
// behaviour that the golden cases cannot show (printing, error classes); tensor leaks across many runs.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { type EvalResult, evaluate } from '../../../graders/numpy/index';

const PRELUDE = readFileSync(fileURLToPath(new URL('../../golden/numpy/textbook_layers.py', import.meta.url)), 'utf8');

beforeAll(async () => {
  await initBackend('cpu');
});

function withPrelude(code: string, seed = 0): EvalResult {
  const full = `${PRELUDE}\n${code}`;
  return evaluate(full, {}, { seed, learnerSpan: { from: PRELUDE.length + 1, to: full.length } });
}

function fail(r: EvalResult): { type: string; message: string } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

describe('UnigramSampler (np.random.choice without replacement, p=...)', () => {
  // word 6 never occurs after word 5's last index, so vocab_size = 7; word 7 would be out of vocabulary
  const corpus = '[0, 1, 2, 3, 4, 1, 2, 5, 1, 3, 6, 1, 1, 2]';
  it('the prelude is longer than maxCodeLength and still runs', () => {
    expect(PRELUDE.length).toBeGreaterThan(20_000);
  });
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])('seed %i: shape, dtype, distinct per row, never the target', (seed) => {
    const r = withPrelude(
      `sampler = UnigramSampler(np.array(${corpus}), 0.75, 4)
target = np.array([1, 2, 0, 6, 3, 1])
neg = sampler.get_negative_sample(target)
neg.shape, str(neg.dtype), neg.tolist(), sampler.vocab_size, float(sampler.word_p.sum())`,
      seed,
    );
    if (!r.ok) throw new Error(`${r.error.type}: ${r.error.message}`);
    const [shape, dtype, rows, vocab, psum] = r.value as [number[], string, number[][], number, number];
    expect(shape).toEqual([6, 4]);
    expect(dtype).toBe('int32');
    expect(vocab).toBe(7);
    expect(psum).toBeCloseTo(1, 5);
    const targets = [1, 2, 0, 6, 3, 1];
    rows.forEach((row, i) => {
      expect(new Set(row).size, `row ${i} repeats: ${row}`).toBe(4);
      expect(row, `row ${i} holds its target`).not.toContain(targets[i]);
      for (const w of row) {
        expect(Number.isInteger(w)).toBe(true);
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w).toBeLessThan(7);
      }
    });
  });
  it('frequent words are drawn more often than rare ones', () => {
    const r = withPrelude(`sampler = UnigramSampler(np.array(${corpus}), 0.75, 1)
counts = np.zeros(7)
for _ in range(300):
    counts[sampler.get_negative_sample(np.array([0]))[0, 0]] += 1
counts.tolist()`);
    if (!r.ok) throw new Error(`${r.error.type}: ${r.error.message}`);
    const counts = r.value as number[];
    expect(counts[0]).toBe(0); // the target is never drawn
    expect(counts.reduce((a, b) => a + b, 0)).toBe(300);
    // word 1 occurs 5 times, words 4, 5, 6 once: p ∝ count**0.75, so 5**0.75 ≈ 3.3 times as often
    expect(counts[1]!).toBeGreaterThan(2 * counts[4]!);
    expect(counts[1]!).toBeGreaterThan(2 * counts[6]!);
  });
  it('asking for more distinct samples than words with p > 0 is a ValueError, as in numpy', () => {
    expect(fail(withPrelude(`UnigramSampler(np.array([0, 1, 2]), 0.75, 3).get_negative_sample(np.array([1]))`)).type).toBe('ValueError');
  });
  it('a lambda replacing get_negative_sample is what NegativeSamplingLoss calls', () => {
    const r = withPrelude(`layer = NegativeSamplingLoss(np.ones((7, 2), dtype='f'), np.array(${corpus}), sample_size=2)
calls = []
def fake(target):
    calls.append(target.tolist())
    return np.array([[3, 4]])
layer.sampler.get_negative_sample = fake
layer.forward(np.ones((1, 2), dtype='f'), np.array([1]))
calls, [l.embed.idx.tolist() for l in layer.embed_dot_layers]`);
    expect(r).toMatchObject({ ok: true, value: [[[1]], [[1], [3], [4]]] });
  });
});

describe('collections and sets', () => {
  it('print like Python', () => {
    const r = evaluate(`from collections import Counter, defaultdict
c = Counter('abca')
print(c, Counter(), defaultdict(int, {'x': 1}), defaultdict(list), {3}, set(), c.most_common(1))
repr(c), str(defaultdict(int))`);
    expect(r).toMatchObject({
      ok: true,
      stdout: "Counter({'a': 2, 'b': 1, 'c': 1}) Counter() defaultdict(<class 'int'>, {'x': 1}) defaultdict(<class 'list'>, {}) {3} set() [('a', 2)]\n",
      value: ["Counter({'a': 2, 'b': 1, 'c': 1})", "defaultdict(<class 'int'>, {})"],
    });
  });
  it('a Counter is a dict: dict methods, len, iteration, ==', () => {
    const r = evaluate(`from collections import Counter
c = Counter([1, 1, 2])
c.get(1), c.get(9), list(c.items()), c == {1: 2, 2: 1}, len(c), [k for k in c], c.pop(2), dict(c)`);
    expect(r).toMatchObject({ ok: true, value: [2, null, [[1, 2], [2, 1]], true, 2, [1, 2], 1, { dict: [[1, 2]] }] });
  });
  it('errors keep Python classes', () => {
    expect(fail(evaluate('from collections import defaultdict\nd = defaultdict()\nd[1]')).type).toBe('KeyError');
    expect(fail(evaluate('from collections import defaultdict\ndefaultdict(5)')).type).toBe('TypeError');
    expect(fail(evaluate('from collections import Counter\nCounter(5)')).type).toBe('TypeError');
    expect(fail(evaluate('from collections import Counter\nCounter("ab").most_common("x")')).type).toBe('TypeError');
    expect(fail(evaluate('{1, 2} + {3}')).type).toBe('TypeError');
    expect(fail(evaluate('{{1}, 2}')).type).toBe('TypeError');
    expect(fail(evaluate('s = {1}\ns.remove(2)'))).toMatchObject({ type: 'KeyError' });
  });
  it('a set returned to the host reads back as a list', () => {
    expect(evaluate('{3, 1, 3}')).toMatchObject({ ok: true, value: [3, 1] });
  });
});

describe('tensor leaks', () => {
  it('no tensor survives 50 textbook seq2seq programs', () => {
    const code = `model = AttentionSeq2seq(6, 3, 4)
loss = model.forward(np.array([[1, 2, 3]]), np.array([[5, 1, 2, 4]]))
model.backward()
model.generate(np.array([[1, 2, 3]]), 5, 3), float(loss)`;
    withPrelude(code);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) expect(withPrelude(code).ok).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
