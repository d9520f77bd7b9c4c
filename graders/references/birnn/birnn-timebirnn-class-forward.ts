import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';
import type { JsonValue } from '../../numpy/json-values';
import { pure, tensor, tf, toArray } from '../tensors';

// The template's TimeBiRNN (two TimeRNN layers of RNN cells) is built from the case's parameters, run forward on xs
// and backward on dout; the parameter gradients are read from layer.grads (the forward direction's three arrays, then
// the backward direction's, the same arrays the two TimeRNN layers hold).
export const BIRNN_CLASS_PRELUDE = `
def run_birnn(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b, dout):
    layer = TimeBiRNN(Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b)
    out = layer.forward(xs)
    dxs = layer.backward(dout)
    return (out, dxs) + tuple(layer.grads)
`;
export const BIRNN_CLASS_CALL = 'run_birnn(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b, dout)';
export const BIRNN_CLASS_RESULT_NAMES = ['out', 'dxs', 'dWx_f', 'dWh_f', 'db_f', 'dWx_b', 'dWh_b', 'db_b'] as const;

// [N, T, D, H] per case, all different within a case, so a slice or a flip on the wrong axis changes the values or
// the shape. Case 2 is a batch of 1, case 4 a single hidden unit.
const SHAPES: [number, number, number, number][] = [
  [2, 4, 3, 5],
  [3, 5, 2, 4],
  [1, 3, 4, 2],
  [2, 6, 3, 4],
  [3, 4, 5, 1],
  [4, 3, 2, 6],
];
export const BIRNN_CLASS_CASES = SHAPES.length;

export function makeBirnnClassCase(rng: CaseRng, index: number): Record<string, JsonValue> {
  const [n, t, d, h] = SHAPES[index]!;
  return {
    xs: rng.normalArray([n, t, d]),
    Wx_f: rng.normalArray([d, h], 0.6),
    Wh_f: rng.normalArray([h, h], 0.6),
    b_f: rng.normalArray([h], 0.3),
    Wx_b: rng.normalArray([d, h], 0.6),
    Wh_b: rng.normalArray([h, h], 0.6),
    b_b: rng.normalArray([h], 0.3),
    dout: rng.normalArray([n, t, 2 * h]),
  };
}

/** out by tfjs, and every gradient by tfjs autodiff of sum(out * dout). */
export function birnnClassReference(inputs: Record<string, JsonValue>) {
  return pure(() => {
    const xs = tensor(inputs.xs!) as tf.Tensor3D;
    const dout = tensor(inputs.dout!);
    const names = ['Wx_f', 'Wh_f', 'b_f', 'Wx_b', 'Wh_b', 'b_b'];
    const params = names.map((k) => tensor(inputs[k]!));
    // h_t = tanh(h_{t-1} Wh + x_t Wx + b) from h_0 = 0, over axis 1 of (N, T, D); returns (N, T, H).
    const timeRnn = (x: tf.Tensor, Wx: tf.Tensor, Wh: tf.Tensor, b: tf.Tensor) => {
      const [n, t] = x.shape as number[];
      let h: tf.Tensor2D = tf.zeros([n!, Wh.shape[0]!]);
      const hs: tf.Tensor2D[] = [];
      for (const xt of tf.unstack(x, 1) as tf.Tensor2D[]) {
        h = tf.tanh(tf.add(tf.add(tf.matMul(h, Wh as tf.Tensor2D), tf.matMul(xt, Wx as tf.Tensor2D)), b));
        hs.push(h);
      }
      return tf.stack(hs.slice(0, t), 1);
    };
    const bi = (x: tf.Tensor, p: tf.Tensor[]) =>
      tf.concat([timeRnn(x, p[0]!, p[1]!, p[2]!), tf.reverse(timeRnn(tf.reverse(x, 1), p[3]!, p[4]!, p[5]!), 1)], 2);
    const out = bi(xs, params);
    const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(bi(a[0]!, a.slice(1)), dout)))([xs, ...params]);
    return { result: [toArray(out), ...grads.map(toArray)], blanks: null };
  });
}

export const birnnTimebirnnClassForward: CodeGrader = {
  key: 'birnn-timebirnn-class-forward',
  prelude: BIRNN_CLASS_PRELUDE,
  call: BIRNN_CLASS_CALL,
  resultNames: BIRNN_CLASS_RESULT_NAMES,
  knownWrong: [
    // the backward direction's states left in reversed time order
    'np.concatenate((hs_f, hs_b), axis=2)',
    // the batch axis flipped instead of the time axis
    'np.concatenate((hs_f, hs_b[::-1]), axis=2)',
    // both directions flipped
    'np.concatenate((hs_f[:, ::-1], hs_b[:, ::-1]), axis=2)',
    // joined along the time axis
    'np.concatenate((hs_f, hs_b[:, ::-1]), axis=1)',
    // summed instead of concatenated
    'hs_f + hs_b[:, ::-1]',
  ],
  cases: BIRNN_CLASS_CASES,
  makeCase: makeBirnnClassCase,
  reference: birnnClassReference,
};
