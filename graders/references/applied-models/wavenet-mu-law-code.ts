import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

export const wavenetMuLawCode: CodeGrader = {
  key: 'wavenet-mu-law-code',
  prelude: '',
  call: 'mu_law_encode(x, mu)',
  knownWrong: [
    // natural log of 1 + |x| without μ inside
    'np.sign(x) * np.log1p(np.abs(x)) / np.log1p(mu)',
    // divides by μ instead of ln(1 + μ)
    'np.sign(x) * np.log1p(mu * np.abs(x)) / mu',
    // linear quantisation: no companding
    'x',
  ],
  cases: 6,
  makeCase(rng, index) {
    // audio samples in [−1, 1], mostly small (speech is quiet most of the time); case 1 uses a different μ.
    const x = rng.array([2, 7], () => Math.fround(Math.max(-1, Math.min(1, rng.normal(0, 0.3)))));
    // Keep every sample away from the class boundaries of the 256-level quantiser, so float rounding cannot flip a class.
    const mu = index === 1 ? 127 : 255;
    x.data = x.data.map((v) => {
      let s = v as number;
      for (;;) {
        const y = (Math.sign(s) * Math.log1p(mu * Math.abs(s))) / Math.log1p(mu);
        const c = ((y + 1) / 2) * mu + 0.5;
        if (Math.abs(c - Math.round(c)) > 0.02) return Math.fround(s);
        s = Math.fround(s * 0.97);
      }
    });
    return { x, mu };
  },
  reference(inputs) {
    return pure(() => {
      const x = tensor(inputs.x!);
      const mu = inputs.mu as number;
      const y = tf.div(tf.mul(tf.sign(x), tf.log1p(tf.mul(tf.abs(x), mu))), Math.log1p(mu));
      const classes = tf.floor(tf.add(tf.mul(tf.div(tf.add(y, 1), 2), mu), 0.5));
      return { result: [toArray(y), toArray(classes)], blanks: [toArray(y)] };
    });
  },
};
