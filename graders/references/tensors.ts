import * as tf from '@tensorflow/tfjs-core';
import type { JsonArray, JsonValue } from '../numpy/json-values';

/** A case input as a tensor (float32 arrays and numbers). */
export function tensor(value: JsonValue): tf.Tensor {
  if (typeof value === 'number') return tf.scalar(value);
  if (value && typeof value === 'object' && !Array.isArray(value) && 'shape' in value) {
    return tf.tensor(value.data as number[], value.shape, 'float32');
  }
  throw new Error(`not an array input: ${JSON.stringify(value).slice(0, 80)}`);
}

/** A tensor as plain JSON (read synchronously; the caller's tidy disposes the tensor). */
export function toArray(t: tf.Tensor): JsonArray {
  return { dtype: 'float32', shape: [...t.shape], data: Array.from(t.dataSync()) };
}

/** Runs a reference computation in a tidy scope so no tensor outlives it. */
export function pure<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}

export { tf };
