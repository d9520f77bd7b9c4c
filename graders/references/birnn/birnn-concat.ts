import type { JsonValue } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// T ≠ hidden, so concatenating on the wrong axis gives a visibly different shape.
const BATCH = 2;
const T = 3;
const INPUT = 5;
const HIDDEN = 4;
const OUTPUT = 6;

export const birnnConcat: CodeGrader = {
  key: 'birnn-concat',
  prelude: `def _rnn(xs, W, U):
    batch_size, n_seq = xs.shape[:2]
    hs = np.zeros((batch_size, n_seq, U.shape[0]))
    h = np.zeros((batch_size, U.shape[0]))
    for t in range(n_seq):
        h = np.tanh(xs[:, t].dot(W.T) + h.dot(U.T))
        hs[:, t] = h
    return hs
`,
  call: 'bidirectional_rnn_net(xs, W_f, U_f, W_b, U_b, V)',
  knownWrong: ['np.concatenate([h_f, h_b], axis=1)', 'np.concatenate([h_b[::-1], h_f], axis=1)'],
  cases: 5,
  makeCase(rng) {
    return {
      xs: rng.normalArray([BATCH, T, INPUT]),
      W_f: rng.normalArray([HIDDEN, INPUT], 0.5),
      U_f: rng.normalArray([HIDDEN, HIDDEN], 0.5),
      W_b: rng.normalArray([HIDDEN, INPUT], 0.5),
      U_b: rng.normalArray([HIDDEN, HIDDEN], 0.5),
      V: rng.normalArray([OUTPUT, 2 * HIDDEN], 0.5),
    };
  },
  reference(inputs) {
    return pure(() => {
      const xs = tensor(inputs.xs!) as tf.Tensor3D;
      const run = (x: tf.Tensor3D, W: tf.Tensor2D, U: tf.Tensor2D) => {
        let h: tf.Tensor2D = tf.zeros([BATCH, HIDDEN]);
        const hs: tf.Tensor2D[] = [];
        for (let t = 0; t < T; t++) {
          const xt = tf.squeeze(tf.slice(x, [0, t, 0], [-1, 1, -1]), [1]) as tf.Tensor2D;
          h = tf.tanh(tf.add(tf.matMul(xt, W, false, true), tf.matMul(h, U, false, true)));
          hs.push(h);
        }
        return tf.stack(hs, 1) as tf.Tensor3D;
      };
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const hsF = run(xs, m('W_f'), m('U_f'));
      const hsB = run(tf.reverse(xs, 1), m('W_b'), m('U_b'));
      const blanks: JsonValue[] = [];
      const rows: tf.Tensor[] = [];
      for (let b = 0; b < BATCH; b++) {
        const hF = tf.squeeze(tf.slice(hsF, [b, 0, 0], [1, -1, -1]), [0]);
        const hB = tf.squeeze(tf.slice(hsB, [b, 0, 0], [1, -1, -1]), [0]);
        const row = tf.concat([hF, tf.reverse(hB, 0)], 1);
        blanks.push(toArray(row));
        rows.push(row);
      }
      const ys = tf.matMul(tf.reshape(tf.stack(rows), [BATCH * T, 2 * HIDDEN]), m('V'), false, true);
      return { result: toArray(tf.reshape(ys, [BATCH, T, OUTPUT])), blanks };
    });
  },
};
