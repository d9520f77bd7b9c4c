import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

const fn = (body: string) => `def quantize_dequantize(W):\n${body}`;

export const compressionQuantizeDequantizeFunction: CodeGrader = {
  key: 'compression-quantize-dequantize-function',
  prelude: '',
  call: 'quantize_dequantize(W)',
  knownWrong: [
    // one scale for the whole matrix
    fn('    scale = np.max(np.abs(W)) / 127\n    return np.clip(np.round(W / scale), -127, 127) * scale'),
    // per column instead of per row
    fn('    scale = np.max(np.abs(W), axis=0, keepdims=True) / 127\n    scale = np.where(scale == 0, 1.0, scale)\n    return np.clip(np.round(W / scale), -127, 127) * scale'),
    // no care for an all-zero row: 0 / 0 gives nan
    fn('    scale = np.max(np.abs(W), axis=1, keepdims=True) / 127\n    return np.clip(np.round(W / scale), -127, 127) * scale'),
    // returns the integers, not the dequantised weights
    fn('    scale = np.max(np.abs(W), axis=1, keepdims=True) / 127\n    scale = np.where(scale == 0, 1.0, scale)\n    return np.clip(np.round(W / scale), -127, 127)'),
  ],
  cases: 6,
  makeCase(rng, index) {
    const out = rng.int(3, 5);
    const inp = rng.int(6, 9);
    const W = rng.normalArray([out, inp], 0.1);
    // Rows of very different magnitudes (a per-tensor scale loses the small rows); case 3 has an all-zero row.
    const rowScale = Array.from({ length: out }, () => rng.pick([0.05, 1, 1, 20]));
    const zeroRow = index === 3 ? rng.int(0, out - 1) : -1;
    W.data = W.data.map((x, i) => {
      const r = Math.floor(i / inp);
      return r === zeroRow ? 0 : Math.fround((x as number) * rowScale[r]!);
    });
    return { W };
  },
  reference(inputs) {
    return pure(() => {
      const W = tensor(inputs.W!);
      const raw = tf.div(tf.max(tf.abs(W), 1, true), 127);
      const scale = tf.where(tf.equal(raw, 0), tf.onesLike(raw), raw);
      const q = tf.clipByValue(tf.round(tf.div(W, scale)), -127, 127);
      return { result: toArray(tf.mul(q, scale)), blanks: null };
    });
  },
};
