import type { JsonArray } from '../../numpy/json-values';
import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

function boxes(rng: CaseRng, n: number): number[][] {
  return Array.from({ length: n }, () => {
    const x1 = rng.uniform(0, 8);
    const y1 = rng.uniform(0, 8);
    return [x1, y1, Math.fround(x1 + rng.uniform(1, 4)), Math.fround(y1 + rng.uniform(1, 4))];
  });
}

/** Overlap widths and heights of every pair (negative when apart). */
function gaps(a: number[][], b: number[][]): [number, number][] {
  return a.flatMap((p) => b.map((q) => [Math.min(p[2]!, q[2]!) - Math.max(p[0]!, q[0]!), Math.min(p[3]!, q[3]!) - Math.max(p[1]!, q[1]!)] as [number, number]));
}

const asArray = (rows: number[][]): JsonArray => ({ dtype: 'float32', shape: [rows.length, 4], data: rows.flat() });

export const detectionIouMatrixClipCode: CodeGrader = {
  key: 'detection-iou-matrix-clip-code',
  prelude: '',
  call: 'iou_matrix(a, b)',
  knownWrong: ['np.minimum(rb - lt, 0)', 'np.maximum(rb - lt, 0).sum(axis=-1)', 'np.maximum(rb, lt)'],
  cases: 5,
  makeCase(rng) {
    // M ≠ N ≠ 2; every case has overlapping pairs, pairs apart in one direction only, and pairs apart in both.
    const M = rng.pick([3, 4]);
    const N = rng.pick([5, 6]);
    for (;;) {
      const a = boxes(rng, M);
      const b = boxes(rng, N);
      const g = gaps(a, b);
      const ok =
        g.some(([w, h]) => w > 0.1 && h > 0.1) &&
        g.some(([w, h]) => w < -0.1 && h < -0.1) &&
        g.some(([w, h]) => (w > 0.1 && h < -0.1) || (w < -0.1 && h > 0.1));
      if (ok) return { a: asArray(a), b: asArray(b) };
    }
  },
  reference(inputs) {
    return pure(() => {
      const a = tensor(inputs.a!) as tf.Tensor2D;
      const b = tensor(inputs.b!) as tf.Tensor2D;
      const a3 = tf.expandDims(a, 1); // (M, 1, 4)
      const b3 = tf.expandDims(b, 0); // (1, N, 4)
      const lt = tf.maximum(tf.slice(a3, [0, 0, 0], [-1, -1, 2]), tf.slice(b3, [0, 0, 0], [-1, -1, 2]));
      const rb = tf.minimum(tf.slice(a3, [0, 0, 2], [-1, -1, 2]), tf.slice(b3, [0, 0, 2], [-1, -1, 2]));
      const wh = tf.relu(tf.sub(rb, lt)); // (M, N, 2)
      const [w, h] = tf.unstack(wh, 2);
      const inter = tf.mul(w!, h!);
      const area = (t: tf.Tensor2D) => {
        const [x1, y1, x2, y2] = tf.unstack(t, 1);
        return tf.mul(tf.sub(x2!, x1!), tf.sub(y2!, y1!));
      };
      const union = tf.sub(tf.add(tf.expandDims(area(a), 1), tf.expandDims(area(b), 0)), inter);
      return { result: toArray(tf.div(inter, union)), blanks: [toArray(wh)] };
    });
  },
};
