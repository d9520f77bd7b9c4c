import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

export const attentionSoftmaxFunction: CodeGrader = {
  key: 'attention-softmax-function',
  prelude: '',
  call: 'softmax(x)',
  knownWrong: ['def softmax(x):\n    e = np.exp(x)\n    return e / np.sum(e, axis=-1, keepdims=True)', 'def softmax(x):\n    e = np.exp(x - np.max(x))\n    return e / np.sum(e)'],
  cases: 6,
  makeCase(rng, index) {
    const rows = rng.int(2, 4);
    const cols = rng.int(3, 6);
    // Case 5 has scores around 100: exp overflows in float32 unless the row maximum is subtracted first.
    const scale = index === 5 ? 40 : 2;
    const x = rng.normalArray([rows, cols], scale);
    if (index === 5) x.data = x.data.map((v) => Math.fround((v as number) + 100));
    return { x };
  },
  reference(inputs) {
    return pure(() => ({ result: toArray(tf.softmax(tensor(inputs.x!))), blanks: null }));
  },
};
