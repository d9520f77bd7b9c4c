import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// batch ≠ context ≠ embed ≠ vocab, so a mean over the wrong axis has a visibly different shape.
const BATCH = 3;
const EMBED = 5;
const VOCAB = 10;

export const word2vecCbowBatchMean: CodeGrader = {
  key: 'word2vec-cbow-batch-mean',
  prelude: `def _softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)
`,
  call: 'cbow_forward(contexts, W_in, W_out)',
  knownWrong: ['W_in[contexts].mean()', 'W_in[contexts].max(axis=1)', 'W_in[contexts[:, 0]]', 'W_in[contexts].mean(axis=1) / 2'],
  cases: 6,
  makeCase(rng, index) {
    // Windows of size 2 (4 context words) and of size 1 (2 words); case 3 repeats a word inside one context.
    const width = index % 2 === 0 ? 4 : 2;
    const data = Array.from({ length: BATCH * width }, () => rng.int(0, VOCAB - 1));
    if (index === 3) data[1] = data[0]!;
    const contexts: JsonArray = { dtype: 'int32', shape: [BATCH, width], data };
    return { contexts, W_in: rng.normalArray([VOCAB, EMBED]), W_out: rng.normalArray([EMBED, VOCAB]) };
  },
  reference(inputs) {
    return pure(() => {
      const ctx = inputs.contexts as JsonArray;
      const ids = tf.tensor2d(ctx.data as number[], ctx.shape as [number, number], 'int32');
      const h = tf.mean(tf.gather(tensor(inputs.W_in!), ids), 1) as tf.Tensor2D;
      const p = tf.softmax(tf.matMul(h, tensor(inputs.W_out!) as tf.Tensor2D));
      return { result: toArray(p), blanks: [toArray(h)] };
    });
  },
};
