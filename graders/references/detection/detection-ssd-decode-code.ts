import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

export const detectionSsdDecodeCode: CodeGrader = {
  key: 'detection-ssd-decode-code',
  prelude: '',
  call: 'decode(default_boxes, loc)',
  knownWrong: ['np.stack([cxcy - wh / 2, cxcy + wh / 2], axis=1)', 'np.concatenate([cxcy + wh / 2, cxcy - wh / 2], axis=1)', 'np.concatenate([cxcy - wh / 2, wh], axis=1)'],
  cases: 5,
  makeCase(rng) {
    // N ≠ 2 and N ≠ 4, so stacking or concatenating on the wrong axis gives another shape.
    const N = rng.pick([3, 5, 6, 7]);
    const centers = rng.uniformArray([N, 2], 0.1, 0.9).data;
    const sizes = rng.uniformArray([N, 2], 0.05, 0.5).data;
    const data: number[] = [];
    for (let i = 0; i < N; i++) data.push(centers[2 * i] as number, centers[2 * i + 1] as number, sizes[2 * i] as number, sizes[2 * i + 1] as number);
    return { default_boxes: { dtype: 'float32', shape: [N, 4], data }, loc: rng.normalArray([N, 4], 0.3) };
  },
  reference(inputs) {
    return pure(() => {
      const d = tensor(inputs.default_boxes!);
      const loc = tensor(inputs.loc!);
      const dxy = tf.slice(d, [0, 0], [-1, 2]);
      const dwh = tf.slice(d, [0, 2], [-1, 2]);
      const cxcy = tf.add(dxy, tf.mul(tf.slice(loc, [0, 0], [-1, 2]), dwh));
      const wh = tf.mul(dwh, tf.exp(tf.slice(loc, [0, 2], [-1, 2])));
      const half = tf.div(wh, 2);
      const out = toArray(tf.concat([tf.sub(cxcy, half), tf.add(cxcy, half)], 1));
      return { result: out, blanks: [out] };
    });
  },
};
