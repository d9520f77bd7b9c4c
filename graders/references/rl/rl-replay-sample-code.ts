import type { CodeGrader } from '../../code/types';
import { Xoshiro128 } from '../../numpy/builtins/random';

const CAPACITY = 12;
const WIDTH = 5; // one transition a row: s, a, r, s_next, done

/**
 * The indices `rng.choice(n, size=k, replace=False)` draws in the interpreter for `np.random.default_rng(seed)`:
 * a Fisher–Yates shuffle of 0..n−1 (graders/numpy/builtins/random.ts), first k kept. The interpreter's generator
 * is its own (not numpy's PCG64), so the reference follows it rather than numpy.
 */
function drawWithoutReplacement(seed: number, n: number, k: number): number[] {
  const rng = new Xoshiro128(seed);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, k);
}

export const rlReplaySampleCode: CodeGrader = {
  key: 'rl-replay-sample-code',
  prelude: '',
  call: 'sample_minibatch(buffer, batch_size, seed)',
  knownWrong: [
    'rng.choice(len(buffer), size=batch_size)',
    'rng.integers(0, len(buffer), size=batch_size)',
    'rng.choice(batch_size, size=batch_size, replace=False)',
    'np.arange(batch_size)',
  ],
  cases: 6,
  makeCase(rng) {
    const data: number[] = [];
    for (let i = 0; i < CAPACITY; i++) {
      data.push(rng.int(0, 9), rng.int(0, 3), rng.pick([-1, 0, 1]), rng.int(0, 9), rng.uniform() < 0.2 ? 1 : 0);
    }
    return {
      buffer: { dtype: 'float32', shape: [CAPACITY, WIDTH], data },
      batch_size: rng.pick([4, 5, 6]),
      seed: rng.int(0, 100000),
    };
  },
  reference(inputs) {
    const buffer = inputs.buffer as { data: number[] };
    const idx = drawWithoutReplacement(inputs.seed as number, CAPACITY, inputs.batch_size as number);
    const data = idx.flatMap((i) => buffer.data.slice(i * WIDTH, (i + 1) * WIDTH));
    return {
      result: { dtype: 'float32', shape: [idx.length, WIDTH], data },
      blanks: [{ dtype: 'int32', shape: [idx.length], data: idx }],
    };
  },
};
