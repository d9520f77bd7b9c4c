import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// batch ≠ input ≠ latent: an answer built on the wrong array cannot pass by a shape coincidence.
const BATCH = 4;
const INPUT = 6;
const LATENT = 3;

export const seq2seqVaeReparamSample: CodeGrader = {
  key: 'seq2seq-vae-reparam-sample',
  prelude: '',
  call: 'vae_sample(x, W_mu, b_mu, W_lv, b_lv, eps)',
  knownWrong: ['mu + log_var * eps', '(mu + eps) * np.exp(0.5 * log_var)', 'mu + np.exp(0.5 * log_var)', 'mu + 0.5 * np.exp(log_var) * eps'],
  cases: 6,
  makeCase(rng, index) {
    // Case 5 pushes log σ² well below 0 (σ ≈ 0.1–0.4), where the variance and the standard deviation differ the most.
    const shift = index === 5 ? -3 : 0;
    const b_lv = rng.normalArray([LATENT], 0.5);
    b_lv.data = b_lv.data.map((v) => Math.fround((v as number) + shift));
    return {
      x: rng.normalArray([BATCH, INPUT]),
      W_mu: rng.normalArray([INPUT, LATENT], 0.5),
      b_mu: rng.normalArray([LATENT], 0.3),
      W_lv: rng.normalArray([INPUT, LATENT], 0.3),
      b_lv,
      eps: rng.normalArray([BATCH, LATENT]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!);
      const x = m('x') as tf.Tensor2D;
      const mu = tf.add(tf.matMul(x, m('W_mu') as tf.Tensor2D), m('b_mu'));
      const logVar = tf.add(tf.matMul(x, m('W_lv') as tf.Tensor2D), m('b_lv'));
      const z = toArray(tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), m('eps'))));
      return { result: z, blanks: [z] };
    });
  },
};
