import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';

export const word2vecNoiseProbs: CodeGrader = {
  key: 'word2vec-noise-probs',
  prelude: '',
  call: 'noise_probs(counts, power)',
  knownWrong: ['(counts / np.sum(counts)) ** power', 'np.sum(counts ** power) / counts ** power', 'counts ** power / np.max(counts ** power)'],
  cases: 6,
  makeCase(rng, index) {
    // Word counts from 1 to 500 (a few frequent words, many rare ones); power 0.75 in case 0, else 0.5–0.75.
    const V = index === 0 ? 6 : rng.int(5, 10);
    const data = index === 0 ? [300, 81, 16, 16, 2, 1] : Array.from({ length: V }, () => (rng.uniform() < 0.3 ? rng.int(100, 500) : rng.int(1, 30)));
    const counts: JsonArray = { dtype: 'float32', shape: [data.length], data };
    return { counts, power: index === 0 ? 0.75 : rng.pick([0.5, 0.6, 0.75]) };
  },
  reference(inputs) {
    const counts = (inputs.counts as JsonArray).data as number[];
    const power = inputs.power as number;
    const weights = counts.map((c) => c ** power);
    const total = weights.reduce((a, b) => a + b, 0);
    const p: JsonArray = { dtype: 'float32', shape: [counts.length], data: weights.map((w) => Math.fround(w / total)) };
    return { result: p, blanks: [p] };
  },
};
