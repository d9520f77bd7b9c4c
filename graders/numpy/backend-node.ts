// Backend setup for Node hosts (CLI, server, tests): the cpu backend, or wasm (loads its .wasm from
// node_modules, no network). Browser hosts use backend-browser.ts instead.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

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
