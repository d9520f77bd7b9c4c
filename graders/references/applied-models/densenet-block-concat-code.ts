import type { JsonValue } from '../../numpy/json-values';
import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

/** Batch, input channels, growth rate, height, width and layer count all different, so a wrong axis shows in the shape. */
function sizes(rng: CaseRng) {
  for (;;) {
    const s = { N: 2, C0: rng.pick([3, 5, 6]), k: rng.pick([4, 7]), H: rng.pick([3, 4, 5]), W: rng.pick([6, 8]), L: rng.pick([2, 3]) };
    if (new Set([s.N, s.C0, s.k, s.H, s.W]).size === 5) return s;
  }
}

export const densenetBlockConcat: CodeGrader = {
  key: 'densenet-block-concat-code',
  prelude: `def _relu_conv1x1(x, W):
    # ReLU の後に 1x1 畳み込み: x (N, C, H, W), W (k, C) -> (N, k, H, W)
    h = np.maximum(x, 0)
    return h.transpose(0, 2, 3, 1).dot(W.T).transpose(0, 3, 1, 2)
`,
  call: 'dense_block(x, weights)',
  knownWrong: ['np.concatenate([h, x], axis=1)', 'np.stack([x, h], axis=1)', 'h'],
  cases: 5,
  makeCase(rng) {
    const { N, C0, k, H, W, L } = sizes(rng);
    return {
      x: rng.normalArray([N, C0, H, W]),
      weights: Array.from({ length: L }, (_, l) => rng.normalArray([k, C0 + l * k], 0.5)),
    };
  },
  reference(inputs) {
    return pure(() => {
      let x = tensor(inputs.x!) as tf.Tensor4D;
      const blanks: JsonValue[] = [];
      for (const w of inputs.weights as JsonValue[]) {
        const W = tensor(w) as tf.Tensor2D;
        const [N, C, H, Wd] = x.shape;
        const rows = tf.reshape(tf.transpose(tf.relu(x), [0, 2, 3, 1]), [N * H * Wd, C]);
        const h = tf.transpose(tf.reshape(tf.matMul(rows, W, false, true), [N, H, Wd, W.shape[0]]), [0, 3, 1, 2]);
        x = tf.concat([x, h], 1) as tf.Tensor4D;
        blanks.push(toArray(x));
      }
      return { result: blanks.at(-1)!, blanks };
    });
  },
};
