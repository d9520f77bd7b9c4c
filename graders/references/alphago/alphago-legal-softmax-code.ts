import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// A 3×3 board plus "pass": 10 moves; batch ≠ moves so a transposed mask cannot broadcast.
const BATCH = 4;
const MOVES = 10;

export const alphagoLegalSoftmaxCode: CodeGrader = {
  key: 'alphago-legal-softmax-code',
  prelude: '',
  call: 'legal_move_policy(logits, legal)',
  knownWrong: ['np.exp(z) * (1 - legal)', 'np.where(legal, z, 0)', 'np.exp(z) * legal.T'],
  cases: 6,
  makeCase(rng, index) {
    const legal: boolean[] = [];
    for (let b = 0; b < BATCH; b++) {
      const row = Array.from({ length: MOVES }, () => rng.uniform() < 0.7);
      row[MOVES - 1] = true; // passing is always legal
      // Case 4: one position where passing is the only legal move, one where every move is legal.
      if (index === 4 && b === 0) row.fill(false, 0, MOVES - 1);
      if (index === 4 && b === 1) row.fill(true);
      if (index !== 4 && b === 0) row[rng.int(0, MOVES - 2)] = false; // at least one illegal move
      legal.push(...row);
    }
    return { logits: rng.normalArray([BATCH, MOVES], 2), legal: { dtype: 'bool', shape: [BATCH, MOVES], data: legal } };
  },
  reference(inputs) {
    return pure(() => {
      const logits = tensor(inputs.logits!);
      const mask = tf.tensor((inputs.legal as { data: boolean[] }).data.map(Number), [BATCH, MOVES]);
      const z = tf.sub(logits, tf.max(logits, 1, true));
      const e = tf.mul(tf.exp(z), mask);
      return { result: toArray(tf.div(e, tf.sum(e, 1, true))), blanks: [toArray(e)] };
    });
  },
};
