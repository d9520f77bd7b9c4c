// The golden suite on a backend that is neither cpu nor wasm, so the interpreter takes the paths it takes on
// webgl (no reads of tensor values in indexing). The backend is the cpu backend's kernels registered under
// another name: the values are computed the same way, only the interpreter's choice of path changes.
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import '../../../graders/numpy/backend-node';

const NAME = 'cpu-as-gpu';
if (!tf.findBackendFactory(NAME)) {
  tf.registerBackend(NAME, () => new MathBackendCPU(), -1);
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: NAME });
}
process.env.GOLDEN_BACKEND = NAME;
await import('./golden.test');
