import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';
import { float32Array, numericGrads } from '../seq2seq/seq2seq-encoder-class-forward';

// The template's Embedding class is built from the case's W, run forward on idx and backward on dout;
// dW is read from layer.grads (the array the template writes into in place).
const PRELUDE = `
def run_embedding(W, idx, dout):
    layer = Embedding(W)
    out = layer.forward(idx)
    layer.backward(dout)
    return out, layer.grads[0]
`;

export const word2vecEmbeddingClassBackward: CodeGrader = {
  key: 'word2vec-embedding-class-backward',
  prelude: PRELUDE,
  call: 'run_embedding(W, idx, dout)',
  resultNames: ['out', 'dW'],
  knownWrong: [
    // the mean over the batch instead of the sum
    'np.add.at(dW, self.idx, dout / len(self.idx))',
    // the batch position taken for the word id
    'np.add.at(dW, np.arange(len(self.idx)), dout)',
    // every used row gets the sum of all gradients
    'np.add.at(dW, self.idx, dout.sum(axis=0))',
    // the rows of the ids in reverse order: the gradients of the wrong data
    'np.add.at(dW, self.idx[::-1], dout)',
    // the sign flipped
    'np.add.at(dW, self.idx, -dout)',
  ],
  cases: 6,
  makeCase(rng, index) {
    // V > N so that batch positions and word ids differ; every case repeats an id and leaves rows unused.
    const V = index === 0 ? 11 : rng.int(10, 14);
    const N = index === 0 ? 6 : rng.int(5, 8);
    const D = index === 0 ? 3 : rng.int(3, 4);
    const data = index === 0 ? [2, 7, 2, 0, 2, 5] : Array.from({ length: N }, () => rng.int(0, V - 2));
    if (index !== 0) data[N - 1] = data[0]!;
    const idx: JsonArray = { dtype: 'int32', shape: [N], data };
    return { W: rng.normalArray([V, D]), idx, dout: rng.normalArray([N, D]) };
  },
  reference(inputs) {
    const idx = (inputs.idx as JsonArray).data as number[];
    const Win = inputs.W as JsonArray;
    const out = pure(() => toArray(tf.gather(tensor(Win), tf.tensor1d(idx, 'int32'))));
    // dW: the gradient of sum(out * dout) with respect to W, numerically in float64 (see numericGrads)
    const dout = (inputs.dout as JsonArray).data as number[];
    const D = Win.shape[1]!;
    const loss = ([W]: Float64Array[]) => idx.reduce((s, v, n) => {
      for (let d = 0; d < D; d++) s += W![v * D + d]! * dout[n * D + d]!;
      return s;
    }, 0);
    const [dW] = numericGrads(loss, [Float64Array.from(Win.data as number[])]);
    return { result: [out, float32Array(dW!, Win.shape)], blanks: null };
  },
};
