import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

/** Rows of patches ≠ columns of patches ≠ patch size, so a patch order or pixel order that is off shows. */
function sizes(index: number, pick: <T>(items: readonly T[]) => T) {
  if (index === 0) return { P: 2, rows: 2, cols: 3, C: 3 };
  for (;;) {
    const s = { P: pick([2, 3, 4]), rows: pick([2, 3, 5]), cols: pick([2, 3, 4]), C: pick([1, 2, 3]) };
    if (new Set([s.P, s.rows, s.cols]).size === 3) return s;
  }
}

export const transformerVitPatchCode: CodeGrader = {
  key: 'transformer-vit-patch-code',
  prelude: '',
  call: 'image_to_patches(x, P)',
  knownWrong: ['patches', 'patches.transpose(1, 0, 3, 2, 4)', 'patches.transpose(0, 2, 1, 4, 3)', 'patches.reshape(H // P, W // P, P, P, C)'],
  cases: 5,
  makeCase(rng, index) {
    const { P, rows, cols, C } = sizes(index, (items) => rng.pick(items));
    return { x: rng.uniformArray([rows * P, cols * P, C], 0, 1), P };
  },
  reference(inputs) {
    return pure(() => {
      const x = tensor(inputs.x!) as tf.Tensor3D;
      const P = inputs.P as number;
      const [H, W, C] = x.shape;
      const grouped = tf.transpose(tf.reshape(x, [H / P, P, W / P, P, C]), [0, 2, 1, 3, 4]);
      const blank = toArray(grouped);
      return { result: toArray(tf.reshape(grouped, [-1, P * P * C])), blanks: [blank] };
    });
  },
};
