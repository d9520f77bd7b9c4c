import type { JsonValue } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// batch ≠ n_seq ≠ input ≠ hidden ≠ output, so no wrong product has a matching shape by chance.
const BATCH = 3;
const SEQ = 4;
const INPUT = 5;
const HIDDEN = 6;
const OUTPUT = 2;

export const rnnBpttDelta: CodeGrader = {
  key: 'rnn-bptt-delta',
  prelude: `def rnn_net(xs, W, U, V):
    # identity activation: h_t = W x_t + U h_(t-1), y_t = V h_t; hiddens[:, 0] is the zero initial state
    batch_size, n_seq = xs.shape[:2]
    hiddens = np.zeros((batch_size, n_seq + 1, U.shape[0]))
    outputs = np.zeros((batch_size, n_seq, V.shape[0]))
    for t in range(n_seq):
        hiddens[:, t + 1] = xs[:, t].dot(W.T) + hiddens[:, t].dot(U.T)
        outputs[:, t] = hiddens[:, t + 1].dot(V.T)
    return hiddens, outputs
`,
  call: 'bptt(xs, ys, W, U, V)',
  knownWrong: ['delta_t.dot(U.T)', 'delta_t'],
  cases: 5,
  makeCase(rng) {
    return {
      xs: rng.normalArray([BATCH, SEQ, INPUT]),
      ys: rng.normalArray([BATCH, SEQ, OUTPUT]),
      W: rng.normalArray([HIDDEN, INPUT], 0.4),
      U: rng.normalArray([HIDDEN, HIDDEN], 0.3),
      V: rng.normalArray([OUTPUT, HIDDEN], 0.4),
    };
  },
  reference(inputs) {
    return pure(() => {
      const xs = tensor(inputs.xs!);
      const ys = tensor(inputs.ys!);
      const W = tensor(inputs.W!) as tf.Tensor2D;
      const U = tensor(inputs.U!) as tf.Tensor2D;
      const V = tensor(inputs.V!) as tf.Tensor2D;
      const step = (t: number, x: tf.Tensor) => tf.squeeze(tf.slice(x, [0, t, 0], [-1, 1, -1]), [1]) as tf.Tensor2D;
      const hiddens: tf.Tensor2D[] = [tf.zeros([BATCH, HIDDEN])];
      const outputs: tf.Tensor2D[] = [];
      for (let t = 0; t < SEQ; t++) {
        const h = tf.add(tf.matMul(step(t, xs), W, false, true), tf.matMul(hiddens[t]!, U, false, true)) as tf.Tensor2D;
        hiddens.push(h);
        outputs.push(tf.matMul(h, V, false, true));
      }
      let dW: tf.Tensor = tf.zerosLike(W);
      let dU: tf.Tensor = tf.zerosLike(U);
      let dV: tf.Tensor = tf.zerosLike(V);
      const blanks: JsonValue[] = [];
      for (let t = SEQ - 1; t >= 0; t--) {
        const dout = tf.sub(outputs[t]!, step(t, ys)) as tf.Tensor2D;
        dV = tf.add(dV, tf.div(tf.matMul(dout, hiddens[t + 1]!, true, false), BATCH));
        let delta = tf.matMul(dout, V);
        for (let s = t; s >= 0; s--) {
          dW = tf.add(dW, tf.div(tf.matMul(delta, step(s, xs), true, false), BATCH));
          dU = tf.add(dU, tf.div(tf.matMul(delta, hiddens[s]!, true, false), BATCH));
          delta = tf.matMul(delta, U);
          blanks.push(toArray(delta));
        }
      }
      return { result: [toArray(dW), toArray(dU), toArray(dV)], blanks };
    });
  },
};
