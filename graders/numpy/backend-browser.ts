// Backend setup for browser hosts (a Web Worker or a page): webgl by default, with cpu and wasm available.
// tfjs falls back silently when WebGL is missing, so this returns the backend actually in use.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
// the class items' references differentiate with tf.grad; tfjs-core leaves registering the gradients to the host
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export type BrowserBackend = 'webgl' | 'cpu' | 'wasm';

export async function initBackend(name: BrowserBackend = 'webgl', options: { wasmPath?: string } = {}): Promise<string> {
  tf.env().set('PROD', true);
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (options.wasmPath) wasm.setWasmPaths(options.wasmPath);
  }
  if (tf.getBackend() !== name) await tf.setBackend(name);
  await tf.ready();
  return tf.getBackend();
}
