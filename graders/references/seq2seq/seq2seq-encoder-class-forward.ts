import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

/**
 * Central-difference gradients of a float64 scalar function with respect to each of its arrays (each element is
 * nudged in place and restored). A float64 numerical gradient is as exact as the float32 tolerance needs and
 * checks the learner's backward independently of tfjs' own gradient functions.
 */
export function numericGrads(loss: (arrays: Float64Array[]) => number, arrays: Float64Array[], eps = 1e-6): Float64Array[] {
  return arrays.map((a) => {
    const g = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const keep = a[i]!;
      a[i] = keep + eps;
      const up = loss(arrays);
      a[i] = keep - eps;
      const down = loss(arrays);
      a[i] = keep;
      g[i] = (up - down) / (2 * eps);
    }
    return g;
  });
}

export function float32Array(data: Float64Array, shape: number[]): JsonArray {
  return { dtype: 'float32', shape, data: Array.from(data, (x) => Math.fround(x)) };
}

// The template's Encoder is built from the case's weights, run forward on xs and backward on dh; the gradients
// are read from encoder.grads (the arrays of its TimeEmbedding and TimeRNN).
const PRELUDE = `
def run_encoder(xs, W_embed, Wx, Wh, b, dh):
    encoder = Encoder(W_embed, Wx, Wh, b)
    h = encoder.forward(xs)
    encoder.backward(dh)
    dW_embed, dWx, dWh, db = encoder.grads
    return h, dW_embed, dWx, dWh, db
`;

const D = 3;

/** h_T of a tanh RNN over the embedded ids, in float64: [W_embed, Wx, Wh, b] flat. */
function lastHidden(xs: number[], N: number, T: number, H: number, [E, Wx, Wh, b]: Float64Array[]): Float64Array {
  let h = new Float64Array(N * H);
  for (let t = 0; t < T; t++) {
    const next = new Float64Array(N * H);
    for (let n = 0; n < N; n++) {
      const id = xs[n * T + t]!;
      for (let j = 0; j < H; j++) {
        let s = b![j]!;
        for (let d = 0; d < D; d++) s += E![id * D + d]! * Wx![d * H + j]!;
        for (let k = 0; k < H; k++) s += h[n * H + k]! * Wh![k * H + j]!;
        next[n * H + j] = Math.tanh(s);
      }
    }
    h = next;
  }
  return h;
}

export const seq2seqEncoderClassForward: CodeGrader = {
  key: 'seq2seq-encoder-class-forward',
  prelude: PRELUDE,
  call: 'run_encoder(xs, W_embed, Wx, Wh, b, dh)',
  resultNames: ['h', 'dW_embed', 'dWx', 'dWh', 'db'],
  knownWrong: [
    // the first step's hidden state
    'hs[:, 0, :]',
    // the sum over time
    'hs.sum(axis=1)',
    // one step too early
    'hs[:, -2, :]',
    // the mean over time
    'hs.mean(axis=1)',
    // tanh applied twice
    'np.tanh(hs[:, -1, :])',
  ],
  cases: 6,
  makeCase(rng, index) {
    // N < T and D < H so that the axes cannot be confused; every case repeats a word id.
    const N = index === 0 ? 2 : rng.int(2, 3);
    const T = index === 0 ? 5 : rng.int(4, 6);
    const V = index === 0 ? 9 : rng.int(8, 12);
    const H = index === 0 ? 4 : rng.int(4, 5);
    const data = Array.from({ length: N * T }, () => rng.int(0, V - 1));
    data[N * T - 1] = data[0]!;
    const xs: JsonArray = { dtype: 'int32', shape: [N, T], data };
    return {
      xs,
      W_embed: rng.normalArray([V, D]),
      Wx: rng.normalArray([D, H], 0.5),
      Wh: rng.normalArray([H, H], 0.5),
      b: rng.normalArray([H], 0.1),
      dh: rng.normalArray([N, H]),
    };
  },
  reference(inputs) {
    const xs = inputs.xs as JsonArray;
    const [N, T] = xs.shape as [number, number];
    const ids = xs.data as number[];
    const names = ['W_embed', 'Wx', 'Wh', 'b'] as const;
    const H = (inputs.Wh as JsonArray).shape[0]!;
    // forward with tfjs
    const h = pure(() => {
      const [E, Wx, Wh, b] = names.map((k) => tensor(inputs[k]!));
      const es = tf.gather(E!, tf.tensor2d(ids, [N, T], 'int32')); // (N, T, D)
      let state = tf.zeros([N, H]);
      for (let t = 0; t < T; t++) {
        const x = tf.reshape(tf.slice(es, [0, t, 0], [N, 1, D]), [N, D]);
        state = tf.tanh(tf.add(tf.add(tf.matMul(x, Wx!), tf.matMul(state, Wh!)), b!));
      }
      return toArray(state);
    });
    // gradients of sum(h * dh) with respect to the parameters, numerically in float64
    const dh = (inputs.dh as JsonArray).data as number[];
    const params = names.map((k) => Float64Array.from((inputs[k] as JsonArray).data as number[]));
    const loss = (p: Float64Array[]) => lastHidden(ids, N, T, H, p).reduce((s, v, i) => s + v * dh[i]!, 0);
    const grads = numericGrads(loss, params).map((g, i) => float32Array(g, (inputs[names[i]!] as JsonArray).shape));
    return { result: [h, ...grads], blanks: null };
  },
};
