import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, T, D, H] per case, all different (2H also differs from T and D where it matters).
// Case 2 has a single time step, case 3 a batch of 1.
const SHAPES: [number, number, number, number][] = [
  [2, 4, 3, 5],
  [3, 6, 2, 4],
  [4, 1, 5, 3],
  [1, 5, 4, 2],
  [2, 7, 4, 3],
  [3, 5, 6, 2],
];

const SOLUTION_HEAD = 'def birnn_forward(xs, W_f, U_f, b_f, W_b, U_b, b_b):\n    N, T, _ = xs.shape\n    H = U_f.shape[0]\n    hs_f = np.zeros((N, T, H))\n    hs_b = np.zeros((N, T, H))\n    h = np.zeros((N, H))\n    for t in range(T):\n        h = np.tanh(np.dot(xs[:, t], W_f) + np.dot(h, U_f) + b_f)\n        hs_f[:, t] = h\n';

export const birnnForwardFunction: CodeGrader = {
  key: 'birnn-forward-function',
  prelude: '',
  call: 'birnn_forward(xs, W_f, U_f, b_f, W_b, U_b, b_b)',
  knownWrong: [
    // the backward pass starts from the forward pass's last state
    `${SOLUTION_HEAD}    for t in reversed(range(T)):\n        h = np.tanh(np.dot(xs[:, t], W_b) + np.dot(h, U_b) + b_b)\n        hs_b[:, t] = h\n    return np.concatenate([hs_f, hs_b], axis=2)`,
    // backward states stored in the order they were computed, not aligned with time
    `${SOLUTION_HEAD}    h = np.zeros((N, H))\n    for k, t in enumerate(reversed(range(T))):\n        h = np.tanh(np.dot(xs[:, t], W_b) + np.dot(h, U_b) + b_b)\n        hs_b[:, k] = h\n    return np.concatenate([hs_f, hs_b], axis=2)`,
    // the backward direction also reads forward in time
    `${SOLUTION_HEAD}    h = np.zeros((N, H))\n    for t in range(T):\n        h = np.tanh(np.dot(xs[:, t], W_b) + np.dot(h, U_b) + b_b)\n        hs_b[:, t] = h\n    return np.concatenate([hs_f, hs_b], axis=2)`,
    // directions in the wrong order
    `${SOLUTION_HEAD}    h = np.zeros((N, H))\n    for t in reversed(range(T)):\n        h = np.tanh(np.dot(xs[:, t], W_b) + np.dot(h, U_b) + b_b)\n        hs_b[:, t] = h\n    return np.concatenate([hs_b, hs_f], axis=2)`,
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, T, d, h] = SHAPES[index]!;
    return {
      xs: rng.normalArray([n, T, d]),
      W_f: rng.normalArray([d, h], 0.6),
      U_f: rng.normalArray([h, h], 0.6),
      b_f: rng.normalArray([h], 0.3),
      W_b: rng.normalArray([d, h], 0.6),
      U_b: rng.normalArray([h, h], 0.6),
      b_b: rng.normalArray([h], 0.3),
    };
  },
  reference(inputs) {
    return pure(() => {
      const xs = tensor(inputs.xs!) as tf.Tensor3D;
      const [n, T] = xs.shape;
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const run = (W: tf.Tensor2D, U: tf.Tensor2D, b: tf.Tensor, order: number[]) => {
        let h: tf.Tensor2D = tf.zeros([n, U.shape[0]]);
        const hs: tf.Tensor2D[] = new Array<tf.Tensor2D>(T);
        for (const t of order) {
          const xt = tf.squeeze(tf.slice(xs, [0, t, 0], [-1, 1, -1]), [1]) as tf.Tensor2D;
          h = tf.tanh(tf.add(tf.add(tf.matMul(xt, W), tf.matMul(h, U)), b));
          hs[t] = h;
        }
        return tf.stack(hs, 1);
      };
      const forward = Array.from({ length: T }, (_, t) => t);
      const hsF = run(m('W_f'), m('U_f'), tensor(inputs.b_f!), forward);
      const hsB = run(m('W_b'), m('U_b'), tensor(inputs.b_b!), [...forward].reverse());
      return { result: toArray(tf.concat([hsF, hsB], 2)), blanks: null };
    });
  },
};
