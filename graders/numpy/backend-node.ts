// Backend setup for Node hosts (CLI, server, tests): the cpu backend, or wasm (loads its .wasm from
// node_modules, no network). Browser hosts use backend-browser.ts instead.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// The class items' references differentiate with tf.grad, and tfjs-core does not register the ops' gradients
// itself. Its ESM file that does (dist/register_all_gradients.js) cannot load under Node's ESM resolver
// (extensionless imports), so Node hosts take the umbrella package's CommonJS build, which registers them into
// the same tfjs-core (~0.2 s once per process or grading thread).
import '@tensorflow/tfjs';

export type NodeBackend = 'cpu' | 'wasm';

let wasmLoaded = false;

export async function initBackend(name: NodeBackend = 'cpu'): Promise<string> {
  // silence tfjs' "install tfjs-node" notice and skip its debug checks
  tf.env().set('PROD', true);
  if (name === 'wasm' && !wasmLoaded) {
    await import('@tensorflow/tfjs-backend-wasm');
    wasmLoaded = true;
  }
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tfjs backend '${name}' failed to initialise`);
  }
  await tf.ready();
  return tf.getBackend();
}
