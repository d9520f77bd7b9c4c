import type { CodeGrader } from '../../code/types';
import type { JsonValue } from '../../numpy/json-values';
import type { CaseRng } from '../../code/rng';
import { pure, tensor, tf, toArray } from '../tensors';

// The template's GRU class is built from the case's Wx, Wh, b, run forward on (x, h_prev) and backward on dh_next;
// the parameter gradients are read from layer.grads (the arrays the template writes into in place).
export const GRU_CLASS_PRELUDE = `
def run_gru(x, h_prev, Wx, Wh, b, dh_next):
    layer = GRU(Wx, Wh, b)
    h_next = layer.forward(x, h_prev)
    dx, dh_prev = layer.backward(dh_next)
    return h_next, dx, dh_prev, layer.grads[0], layer.grads[1], layer.grads[2]
`;
export const GRU_CLASS_CALL = 'run_gru(x, h_prev, Wx, Wh, b, dh_next)';
export const GRU_CLASS_RESULT_NAMES = ['h_next', 'dx', 'dh_prev', 'dWx', 'dWh', 'db'] as const;

// [N, D, H] per case, all different (and 3H differs from D). Case 2 is a batch of 1, case 4 a single hidden unit.
const SHAPES: [number, number, number][] = [
  [2, 3, 4],
  [3, 5, 2],
  [1, 4, 3],
  [4, 7, 5],
  [2, 3, 1],
  [3, 2, 6],
];
export const GRU_CLASS_CASES = SHAPES.length;

export function makeGruClassCase(rng: CaseRng, index: number): Record<string, JsonValue> {
  const [n, d, h] = SHAPES[index]!;
  return {
    x: rng.normalArray([n, d]),
    h_prev: rng.uniformArray([n, h], -1, 1),
    Wx: rng.normalArray([d, 3 * h], 0.6),
    Wh: rng.normalArray([h, 3 * h], 0.8),
    b: rng.normalArray([3 * h], 0.4),
    dh_next: rng.normalArray([n, h]),
  };
}

/** h_next by tfjs, and every gradient by tfjs autodiff of sum(h_next * dh_next). */
export function gruClassReference(inputs: Record<string, JsonValue>) {
  return pure(() => {
    const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
    const dhNext = m('dh_next');
    const cell = (x: tf.Tensor, hPrev: tf.Tensor, Wx: tf.Tensor, Wh: tf.Tensor, b: tf.Tensor) => {
      const [Wxz, Wxr, Wxh] = tf.split(Wx, 3, 1) as tf.Tensor2D[];
      const [Whz, Whr, Whh] = tf.split(Wh, 3, 1) as tf.Tensor2D[];
      const [bz, br, bh] = tf.split(b, 3, 0);
      const x2 = x as tf.Tensor2D;
      const h2 = hPrev as tf.Tensor2D;
      const z = tf.sigmoid(tf.add(tf.add(tf.matMul(x2, Wxz!), tf.matMul(h2, Whz!)), bz!));
      const r = tf.sigmoid(tf.add(tf.add(tf.matMul(x2, Wxr!), tf.matMul(h2, Whr!)), br!));
      const hHat = tf.tanh(tf.add(tf.add(tf.matMul(x2, Wxh!), tf.matMul(tf.mul(r, h2) as tf.Tensor2D, Whh!)), bh!));
      return tf.add(tf.mul(tf.sub(1, z), h2), tf.mul(z, hHat));
    };
    const args = [m('x'), m('h_prev'), m('Wx'), m('Wh'), tensor(inputs.b!)] as const;
    const hNext = cell(...args);
    const grads = tf.grads((x, h, wx, wh, b) => tf.sum(tf.mul(cell(x!, h!, wx!, wh!, b!), dhNext)))([...args]);
    return { result: [toArray(hNext), ...grads.map(toArray)], blanks: null };
  });
}

export const gruCellClassForward: CodeGrader = {
  key: 'gru-cell-class-forward',
  prelude: GRU_CLASS_PRELUDE,
  call: GRU_CLASS_CALL,
  resultNames: GRU_CLASS_RESULT_NAMES,
  knownWrong: [
    // the reset gate applied after the matrix product (another GRU variant, not this layer's formula)
    'np.tanh(np.dot(x, Wxh) + r * np.dot(h_prev, Whh) + bh)',
    // no reset gate at all
    'np.tanh(np.dot(x, Wxh) + np.dot(h_prev, Whh) + bh)',
    // 1 - r instead of r
    'np.tanh(np.dot(x, Wxh) + np.dot((1 - r) * h_prev, Whh) + bh)',
    // the update gate in place of the reset gate
    'np.tanh(np.dot(x, Wxh) + np.dot(z * h_prev, Whh) + bh)',
    // sigmoid instead of tanh
    'sigmoid(np.dot(x, Wxh) + np.dot(r * h_prev, Whh) + bh)',
  ],
  cases: GRU_CLASS_CASES,
  makeCase: makeGruClassCase,
  reference: gruClassReference,
};
