import type { CaseRng } from '../../code/rng';
import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf } from '../tensors';

const fn = (body: string) => `def alphago_zero_loss(p, v, pi, z):\n    return ${body}`;

function rows(batch: number, moves: number, row: () => number[]): JsonArray {
  const data: number[] = [];
  for (let b = 0; b < batch; b++) {
    const r = row();
    const s = r.reduce((a, x) => a + x, 0);
    data.push(...r.map((x) => Math.fround(x / s)));
  }
  return { dtype: 'float32', shape: [batch, moves], data };
}

function visits(rng: CaseRng, moves: number, oneHot: boolean): number[] {
  const best = rng.int(0, moves - 1);
  if (oneHot) return Array.from({ length: moves }, (_, i) => (i === best ? 1 : 0));
  const n = Array.from({ length: moves }, () => (rng.uniform() < 0.3 ? 0 : rng.int(1, 30)));
  n[best] = 60;
  return n;
}

export const alphagoZeroLossFunction: CodeGrader = {
  key: 'alphago-zero-loss-function',
  prelude: '',
  call: 'alphago_zero_loss(p, v, pi, z)',
  knownWrong: [
    fn('np.mean((z - v) ** 2 + np.sum(pi * np.log(p), axis=1))'),
    fn('np.mean((z - v) ** 2) - np.mean(pi * np.log(p))'),
    fn('np.sum((z - v) ** 2 - np.sum(pi * np.log(p), axis=1))'),
    fn('np.mean((z - v) ** 2 - np.sum(p * np.log(pi), axis=1))'),
  ],
  cases: 6,
  makeCase(rng, index) {
    // batch < moves, so a per-position vector and a per-move vector never share a shape.
    const batch = rng.int(2, 5);
    const moves = rng.int(6, 10);
    return {
      p: rows(batch, moves, () => Array.from({ length: moves }, () => Math.exp(rng.normal(0, 1.5)))),
      v: rng.uniformArray([batch], -0.95, 0.95),
      // Case 4: tau → 0, the MCTS policy is one-hot on the most visited move.
      pi: rows(batch, moves, () => visits(rng, moves, index === 4)),
      z: { dtype: 'float32', shape: [batch], data: Array.from({ length: batch }, () => rng.pick([1, -1])) },
    };
  },
  reference(inputs) {
    return pure(() => {
      const [p, v, pi, z] = ['p', 'v', 'pi', 'z'].map((k) => tensor(inputs[k]!)) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const loss = tf.mean(tf.sub(tf.square(tf.sub(z, v)), tf.sum(tf.mul(pi, tf.log(p)), 1)));
      return { result: loss.dataSync()[0]!, blanks: null };
    });
  },
};
