import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

export const rnnChainRule: CodeGrader = {
  key: 'rnn-chain-rule',
  prelude: '',
  call: 'dz_dx(x, y)',
  knownWrong: ['2 * (x - y)', '(x + y) ** 2'],
  cases: 5,
  makeCase(rng, index) {
    // The example uses numbers; hidden cases use arrays, so any equal expression passes and 2 * x does not.
    if (index === 0) return { x: rng.uniform(0.5, 3), y: rng.uniform(-2, 2) };
    return { x: rng.normalArray([4]), y: rng.normalArray([4]) };
  },
  reference(inputs) {
    return pure(() => {
      const result = tf.mul(2, tf.add(tensor(inputs.x!), tensor(inputs.y!)));
      const json = typeof inputs.x === 'number' ? result.dataSync()[0]! : toArray(result);
      return { result: json, blanks: [json] };
    });
  },
};
