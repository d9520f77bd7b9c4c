import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

const BATCH = 3;
const CLASSES = 5;

export const compressionTemperatureSoftmaxCode: CodeGrader = {
  key: 'compression-temperature-softmax-code',
  prelude: '',
  call: 'softmax_with_temperature(logits, T)',
  knownWrong: ['np.exp(z)', 'np.exp(z) ** T', 'z / T'],
  cases: 6,
  makeCase(rng, index) {
    // Case 5: logits around 100, which overflow exp in float32 unless the row maximum is subtracted.
    const logits = rng.normalArray([BATCH, CLASSES], index === 5 ? 8 : 3);
    if (index === 5) logits.data = logits.data.map((x) => Math.fround((x as number) + 100));
    return { logits, T: rng.pick([2, 4, 5, 10, 0.5]) };
  },
  reference(inputs) {
    return pure(() => {
      const logits = tensor(inputs.logits!);
      const z = tf.sub(logits, tf.max(logits, 1, true));
      const e = tf.exp(tf.div(z, inputs.T as number));
      return { result: toArray(tf.div(e, tf.sum(e, 1, true))), blanks: [toArray(e)] };
    });
  },
};
