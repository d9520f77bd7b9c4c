import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';

// [T, V] per case: sequence length and vocabulary size.
const SHAPES: [number, number][] = [
  [4, 5],
  [6, 8],
  [3, 4],
  [8, 10],
  [5, 6],
  [1, 7],
];

/** Softmax rows of random logits (float32, so the learner's numpy sees the same numbers). */
function softmaxRows(logits: number[], t: number, v: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < t; r++) {
    const row = logits.slice(r * v, (r + 1) * v);
    const m = Math.max(...row);
    const e = row.map((x) => Math.exp(x - m));
    const s = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((x) => Math.fround(x / s)));
  }
  return out;
}

export const rnnPerplexityCode: CodeGrader = {
  key: 'rnn-perplexity-code',
  prelude: '',
  call: 'perplexity(probs, targets)',
  knownWrong: [
    'np.exp(-np.sum(np.log(p)))',
    '1 / np.mean(p)',
    'np.mean(1 / p)',
    'np.exp(-np.mean(np.log(probs)))',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [t, v] = SHAPES[index]!;
    const logits = Array.from({ length: t * v }, () => rng.normal(0, 1.5));
    const probs: JsonArray = { dtype: 'float32', shape: [t, v], data: softmaxRows(logits, t, v) };
    const targets: JsonArray = { dtype: 'int32', shape: [t], data: Array.from({ length: t }, () => rng.int(0, v - 1)) };
    return { probs, targets };
  },
  reference(inputs) {
    const probs = inputs.probs as JsonArray;
    const targets = inputs.targets as JsonArray;
    const v = probs.shape[1]!;
    const t = targets.shape[0]!;
    const data = probs.data as number[];
    const ids = targets.data as number[];
    let sum = 0;
    for (let r = 0; r < t; r++) sum += Math.log(data[r * v + ids[r]!]!);
    const ppl = Math.exp(-sum / t);
    return { result: ppl, blanks: [ppl] };
  },
};
