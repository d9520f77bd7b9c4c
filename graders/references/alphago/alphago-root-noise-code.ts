import type { CaseRng } from '../../code/rng';
import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

const MOVES = 7;

/** A probability vector: normalised positive weights. */
function distribution(weights: number[]): JsonArray {
  const total = weights.reduce((a, b) => a + b, 0);
  return { dtype: 'float32', shape: [weights.length], data: weights.map((w) => Math.fround(w / total)) };
}

/** A sample that looks like Dir(0.03): nearly all its mass on one or two moves. */
function spikyNoise(rng: CaseRng): JsonArray {
  const w = Array.from({ length: MOVES }, () => rng.uniform() ** 30);
  w[rng.int(0, MOVES - 1)]! += 0.5;
  return distribution(w);
}

export const alphagoRootNoiseCode: CodeGrader = {
  key: 'alphago-root-noise-code',
  prelude: '',
  call: 'add_root_noise(p, eta, eps)',
  knownWrong: ['(1 - eps) * p + eps', 'p * (1 - eps) + eta', '(1 - eps) * p + eps * eta / len(p)'],
  cases: 6,
  makeCase(rng) {
    return {
      p: distribution(Array.from({ length: MOVES }, () => Math.exp(rng.normal(0, 1.2)))),
      eta: spikyNoise(rng),
      eps: rng.pick([0.25, 0.25, 0.1, 0.4]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const eps = inputs.eps as number;
      const mixed = tf.add(tf.mul(1 - eps, tensor(inputs.p!)), tf.mul(eps, tensor(inputs.eta!)));
      return { result: toArray(mixed), blanks: [toArray(mixed)] };
    });
  },
};
