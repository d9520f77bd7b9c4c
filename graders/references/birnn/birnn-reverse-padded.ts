import type { JsonArray, JsonValue } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// N ≠ T ≠ D, so reversing the wrong axis or reading the whole padded row is visible.
const N = 3;
const T = 6;
const D = 4;

function lengthsOf(inputs: Record<string, JsonValue>): number[] {
  return (inputs.lengths as JsonArray).data as number[];
}

export const birnnReversePadded: CodeGrader = {
  key: 'birnn-reverse-padded',
  prelude: '',
  call: 'backward_inputs(xs, lengths)',
  knownWrong: ['xs[i, :L]', 'xs[i, L:0:-1]', 'xs[::-1][i, :L]', 'xs[i, T - L:][::-1]'],
  cases: 6,
  makeCase(rng, index) {
    // Case 0 mixes a full sample, a short one and one of length 1; case 5 has no padding at all.
    const lengths = index === 0 ? [T, 3, 1] : index === 5 ? [T, T, T] : Array.from({ length: N }, () => rng.int(1, T));
    const xs = rng.normalArray([N, T, D]);
    xs.data = xs.data.map((v, k) => (Math.floor(k / D) % T < lengths[Math.floor(k / (T * D))]! ? v : 0));
    return { xs, lengths: { dtype: 'int32', shape: [N], data: lengths } };
  },
  reference(inputs) {
    return pure(() => {
      const xs = tensor(inputs.xs!) as tf.Tensor3D;
      const blanks: JsonValue[] = [];
      const rows = lengthsOf(inputs).map((L, i) => {
        const valid = tf.reverse(tf.squeeze(tf.slice(xs, [i, 0, 0], [1, L, -1]), [0]), 0);
        blanks.push(toArray(valid));
        return L === T ? valid : tf.concat([valid, tf.zeros([T - L, D])], 0);
      });
      return { result: toArray(tf.stack(rows)), blanks };
    });
  },
};
