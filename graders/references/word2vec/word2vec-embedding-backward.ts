import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';

export const word2vecEmbeddingBackward: CodeGrader = {
  key: 'word2vec-embedding-backward',
  prelude: '',
  call: 'embedding_backward(idx, dout, V)',
  knownWrong: [
    // a plain assignment: a repeated id keeps only its last gradient
    'def embedding_backward(idx, dout, V):\n    dW = np.zeros((V, dout.shape[1]))\n    dW[idx] = dout\n    return dW',
    // fancy-index += is buffered: also the last gradient only
    'def embedding_backward(idx, dout, V):\n    dW = np.zeros((V, dout.shape[1]))\n    dW[idx] += dout\n    return dW',
    // every row gets the sum of all gradients
    'def embedding_backward(idx, dout, V):\n    dW = np.zeros((V, dout.shape[1]))\n    dW[idx] = dout.sum(axis=0)\n    return dW',
    // the mean instead of the sum for a repeated id
    'def embedding_backward(idx, dout, V):\n    dW = np.zeros((V, dout.shape[1]))\n    n = np.zeros(V)\n    np.add.at(dW, idx, dout)\n    np.add.at(n, idx, 1)\n    return dW / np.maximum(n, 1)[:, None]',
  ],
  cases: 6,
  makeCase(rng, index) {
    // V ≠ N ≠ D; every case repeats at least one id (case 0: id 2 three times), and leaves some rows unused.
    const V = index === 0 ? 7 : rng.int(6, 9);
    const N = index === 0 ? 6 : rng.int(5, 8);
    const D = index === 0 ? 3 : rng.int(3, 4);
    const data = index === 0 ? [2, 5, 2, 0, 2, 4] : Array.from({ length: N }, () => rng.int(0, V - 2));
    if (index !== 0) data[N - 1] = data[0]!;
    const idx: JsonArray = { dtype: 'int32', shape: [N], data };
    return { idx, dout: rng.normalArray([N, D]), V };
  },
  reference(inputs) {
    const idx = inputs.idx as JsonArray;
    const dout = inputs.dout as JsonArray;
    const V = inputs.V as number;
    const [N, D] = dout.shape as [number, number];
    const sums = new Float64Array(V * D);
    for (let n = 0; n < N; n++) {
      const row = idx.data[n] as number;
      for (let d = 0; d < D; d++) sums[row * D + d] = (sums[row * D + d] ?? 0) + (dout.data[n * D + d] as number);
    }
    const result: JsonArray = { dtype: 'float32', shape: [V, D], data: Array.from(sums, (x) => Math.fround(x)) };
    return { result, blanks: null };
  },
};
