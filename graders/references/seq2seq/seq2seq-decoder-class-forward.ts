import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';
import { float32Array, numericGrads } from './seq2seq-encoder-class-forward';

// The template's Decoder is built from the case's weights, run forward on (xs, h) and backward on dscore;
// the parameter gradients are read from decoder.grads (its three layers' arrays).
const PRELUDE = `
def run_decoder(xs, h, W_embed, Wx, Wh, b, W_out, b_out, dscore):
    decoder = Decoder(W_embed, Wx, Wh, b, W_out, b_out)
    score = decoder.forward(xs, h)
    dh = decoder.backward(dscore)
    dW_embed, dWx, dWh, db, dW_out, db_out = decoder.grads
    return score, dh, dW_embed, dWx, dWh, db, dW_out, db_out
`;

const D = 3;
const NAMES = ['h', 'W_embed', 'Wx', 'Wh', 'b', 'W_out', 'b_out'] as const;

/** sum(score * dscore) of the decoder in float64, arrays in the order of NAMES. */
function decoderLoss(xs: number[], N: number, T: number, H: number, V: number, dscore: number[], [h0, E, Wx, Wh, b, Wo, bo]: Float64Array[]): number {
  let h = Float64Array.from(h0!);
  let loss = 0;
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
      for (let v = 0; v < V; v++) {
        let s = bo![v]!;
        for (let j = 0; j < H; j++) s += next[n * H + j]! * Wo![j * V + v]!;
        loss += s * dscore[(n * T + t) * V + v]!;
      }
    }
    h = next;
  }
  return loss;
}

export const seq2seqDecoderClassForward: CodeGrader = {
  key: 'seq2seq-decoder-class-forward',
  prelude: PRELUDE,
  call: 'run_decoder(xs, h, W_embed, Wx, Wh, b, W_out, b_out, dscore)',
  resultNames: ['score', 'dh', 'dW_embed', 'dWx', 'dWh', 'db', 'dW_out', 'db_out'],
  knownWrong: [
    // the encoder's state dropped: an unconditional language model
    'np.zeros_like(h)',
    // tanh applied a second time
    'np.tanh(h)',
    // the sign flipped
    '-h',
    // half the state
    'h / 2',
  ],
  cases: 6,
  makeCase(rng, index) {
    // N < T, N < H < V so that h.T and the batch axis cannot pass; h in (-1, 1) like a tanh output.
    const N = index === 0 ? 2 : rng.int(2, 3);
    const T = index === 0 ? 4 : rng.int(4, 5);
    const V = index === 0 ? 9 : rng.int(8, 10);
    const H = index === 0 ? 4 : rng.int(4, 5);
    const xs: JsonArray = { dtype: 'int32', shape: [N, T], data: Array.from({ length: N * T }, () => rng.int(0, V - 1)) };
    const h = rng.normalArray([N, H], 0.5);
    h.data = h.data.map((x) => Math.fround(Math.tanh(x as number)));
    return {
      xs,
      h,
      W_embed: rng.normalArray([V, D]),
      Wx: rng.normalArray([D, H], 0.5),
      Wh: rng.normalArray([H, H], 0.5),
      b: rng.normalArray([H], 0.1),
      W_out: rng.normalArray([H, V], 0.5),
      b_out: rng.normalArray([V], 0.1),
      dscore: rng.normalArray([N, T, V]),
    };
  },
  reference(inputs) {
    const xs = inputs.xs as JsonArray;
    const [N, T] = xs.shape as [number, number];
    const ids = xs.data as number[];
    const [H, V] = (inputs.W_out as JsonArray).shape as [number, number];
    // forward with tfjs
    const score = pure(() => {
      const [h0, E, Wx, Wh, b, Wo, bo] = NAMES.map((k) => tensor(inputs[k]!));
      const es = tf.gather(E!, tf.tensor2d(ids, [N, T], 'int32')); // (N, T, D)
      let state = h0!;
      const hs: tf.Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const x = tf.reshape(tf.slice(es, [0, t, 0], [N, 1, D]), [N, D]);
        state = tf.tanh(tf.add(tf.add(tf.matMul(x, Wx!), tf.matMul(state, Wh!)), b!));
        hs.push(state);
      }
      const flat = tf.reshape(tf.stack(hs, 1), [N * T, H]);
      return toArray(tf.reshape(tf.add(tf.matMul(flat, Wo!), bo!), [N, T, V]));
    });
    // gradients of sum(score * dscore) with respect to h and the parameters, numerically in float64
    const dscore = (inputs.dscore as JsonArray).data as number[];
    const arrays = NAMES.map((k) => Float64Array.from((inputs[k] as JsonArray).data as number[]));
    const grads = numericGrads((a) => decoderLoss(ids, N, T, H, V, dscore, a), arrays).map((g, i) => float32Array(g, (inputs[NAMES[i]!] as JsonArray).shape));
    return { result: [score, ...grads], blanks: null };
  },
};
