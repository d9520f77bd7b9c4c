import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';
import { float32Array, numericGrads } from '../seq2seq/seq2seq-encoder-class-forward';

// The template's EmbeddingDot is built from the case's W, run forward on (h, idx) and backward on dout;
// dW is read from layer.grads (the Embedding's array, written in place).
const PRELUDE = `
def run_embedding_dot(W, h, idx, dout):
    layer = EmbeddingDot(W)
    out = layer.forward(h, idx)
    dh = layer.backward(dout)
    return out, dh, layer.grads[0]
`;

export const word2vecEmbeddingdotClassBackward: CodeGrader = {
  key: 'word2vec-embeddingdot-class-backward',
  prelude: PRELUDE,
  call: 'run_embedding_dot(W, h, idx, dout)',
  resultNames: ['out', 'dh', 'dW'],
  knownWrong: [
    // the gradient of h taken for the gradient of the rows
    'dout * target_W',
    // the upstream gradient left out
    'h',
    // summed over the batch: every row gets every datum's gradient
    'np.sum(dout * h, axis=0)',
    // averaged over the batch
    'dout * h / len(h)',
  ],
  cases: 6,
  makeCase(rng, index) {
    // N ≠ D so that a transposed or summed gradient cannot keep its shape; every case repeats an id.
    const V = index === 0 ? 10 : rng.int(8, 12);
    const N = index === 0 ? 4 : rng.int(4, 6);
    let D = index === 0 ? 3 : rng.int(3, 5);
    if (D === N) D = N === 5 ? 3 : 5;
    const data = index === 0 ? [6, 1, 6, 3] : Array.from({ length: N }, () => rng.int(0, V - 1));
    if (index !== 0) data[N - 1] = data[0]!;
    const idx: JsonArray = { dtype: 'int32', shape: [N], data };
    return { W: rng.normalArray([V, D]), h: rng.normalArray([N, D]), idx, dout: rng.normalArray([N]) };
  },
  reference(inputs) {
    const idx = (inputs.idx as JsonArray).data as number[];
    const Win = inputs.W as JsonArray;
    const hIn = inputs.h as JsonArray;
    const out = pure(() => toArray(tf.sum(tf.mul(tf.gather(tensor(Win), tf.tensor1d(idx, 'int32')), tensor(hIn)), 1)));
    // dh and dW: gradients of sum(out * dout), numerically in float64 (see numericGrads)
    const dout = (inputs.dout as JsonArray).data as number[];
    const D = Win.shape[1]!;
    const loss = ([W, h]: Float64Array[]) =>
      idx.reduce((s, v, n) => {
        let dot = 0;
        for (let d = 0; d < D; d++) dot += W![v * D + d]! * h![n * D + d]!;
        return s + dot * dout[n]!;
      }, 0);
    const [dW, dh] = numericGrads(loss, [Float64Array.from(Win.data as number[]), Float64Array.from(hIn.data as number[])]);
    return { result: [out, float32Array(dh!, hIn.shape), float32Array(dW!, Win.shape)], blanks: null };
  },
};
