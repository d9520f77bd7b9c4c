import type { JsonValue } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { SIGMOID_PRELUDE } from '../gates';
import { pure, tensor, tf, toArray } from '../tensors';

// N ≠ T ≠ D ≠ H: multiplying by the (N,) mask column without a new axis is a broadcast error.
const N = 3;
const T = 5;
const D = 4;
const H = 6;

export const gruMaskPadding: CodeGrader = {
  key: 'gru-mask-padding',
  prelude: `${SIGMOID_PRELUDE}
def _gru_cell(x, h, Wx, Wh, b):
    # one GRU step; Wx: (D, 3H), Wh: (H, 3H), b: (3H,), blocks [z | r | candidate]
    H = h.shape[1]
    a = np.dot(x, Wx[:, :2 * H]) + np.dot(h, Wh[:, :2 * H]) + b[:2 * H]
    z = _sigmoid(a[:, :H])
    r = _sigmoid(a[:, H:])
    h_hat = np.tanh(np.dot(x, Wx[:, 2 * H:]) + np.dot(r * h, Wh[:, 2 * H:]) + b[2 * H:])
    return (1 - z) * h + z * h_hat
`,
  call: 'gru_forward_masked(xs, mask, Wx, Wh, b)',
  knownWrong: ['h_new', 'm * h_new + h', 'np.where(m == 0, h_new, h)', 'mask[:, t] * h_new + (1 - mask[:, t]) * h'],
  cases: 6,
  makeCase(rng, index) {
    // Right padding: mask[n, t] = 1 for t < length. Case 0 mixes a full sample with short ones (one of length 1);
    // case 5 has no padding at all.
    const lengths =
      index === 0 ? [T, 2, 1] : index === 5 ? [T, T, T] : Array.from({ length: N }, () => rng.int(1, T));
    const xs = rng.normalArray([N, T, D]);
    xs.data = xs.data.map((v, k) => (Math.floor(k / D) % T < lengths[Math.floor(k / (T * D))]! ? v : 0));
    return {
      xs,
      mask: { dtype: 'float32', shape: [N, T], data: lengths.flatMap((l) => Array.from({ length: T }, (_, t) => (t < l ? 1 : 0))) },
      Wx: rng.normalArray([D, 3 * H], 0.6),
      Wh: rng.normalArray([H, 3 * H], 0.6),
      b: rng.normalArray([3 * H], 0.3),
    };
  },
  reference(inputs) {
    return pure(() => {
      const xs = tensor(inputs.xs!) as tf.Tensor3D;
      const mask = tensor(inputs.mask!) as tf.Tensor2D;
      const Wx = tensor(inputs.Wx!) as tf.Tensor2D;
      const Wh = tensor(inputs.Wh!) as tf.Tensor2D;
      const b = tensor(inputs.b!);
      const cols = (w: tf.Tensor, from: number, size: number) => tf.slice(w, [0, from], [-1, size]) as tf.Tensor2D;
      const bias = (from: number) => tf.slice(b, [from], [H]);
      let h: tf.Tensor2D = tf.zeros([N, H]);
      const hs: tf.Tensor2D[] = [];
      const blanks: JsonValue[] = [];
      for (let t = 0; t < T; t++) {
        const x = tf.squeeze(tf.slice(xs, [0, t, 0], [-1, 1, -1]), [1]) as tf.Tensor2D;
        const gate = (k: number) => tf.add(tf.add(tf.matMul(x, cols(Wx, k * H, H)), tf.matMul(h, cols(Wh, k * H, H))), bias(k * H));
        const z = tf.sigmoid(gate(0));
        const r = tf.sigmoid(gate(1));
        const hHat = tf.tanh(tf.add(tf.add(tf.matMul(x, cols(Wx, 2 * H, H)), tf.matMul(tf.mul(r, h) as tf.Tensor2D, cols(Wh, 2 * H, H))), bias(2 * H)));
        const hNew = tf.add(tf.mul(tf.sub(1, z), h), tf.mul(z, hHat));
        const m = tf.slice(mask, [0, t], [-1, 1]);
        h = tf.add(tf.mul(m, hNew), tf.mul(tf.sub(1, m), h)) as tf.Tensor2D;
        blanks.push(toArray(h));
        hs.push(h);
      }
      return { result: [toArray(tf.stack(hs, 1)), toArray(h)], blanks };
    });
  },
};
