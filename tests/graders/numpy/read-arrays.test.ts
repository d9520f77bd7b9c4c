import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { arraysOf, readArrays, toJson } from '../../../graders/numpy/json-values';
import { PyArray, pyList, pyTuple } from '../../../graders/numpy/values';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('readArrays: several tensors in one read (as on WebGL)', () => {
  it('gives each tensor its own values, joined or not, whatever the dtypes, ranks and sizes', () => {
    tf.tidy(() => {
      const tensors = [
        tf.tensor2d([[1.5, -2], [3, 4.25]]),
        tf.scalar(7, 'int32'),
        tf.tensor1d([], 'float32'),
        tf.tensor1d([true, false, true], 'bool'),
        tf.tensor3d([[[9]], [[-8]]], [2, 1, 1], 'int32'),
        tf.scalar(0.125),
      ];
      const want = tensors.map((t) => Array.from(t.dataSync()));
      for (const join of [true, false]) {
        const got = readArrays(tensors, join);
        expect(tensors.map((t) => Array.from(got.get(t)!)), `join ${join}`).toEqual(want);
      }
      // the join makes one download of all of them, whatever their dtypes, and gives ints and bools their own types
      const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
      const joined = readArrays(tensors, true);
      expect(dataSync).toHaveBeenCalledTimes(1);
      dataSync.mockRestore();
      expect(tensors.map((t) => joined.get(t)!.constructor.name)).toEqual(['Float32Array', 'Int32Array', 'Array', 'Uint8Array', 'Int32Array', 'Float32Array']);
    });
  });

  it('writes the same JSON from values read ahead as from the tensors themselves', () => {
    tf.tidy(() => {
      const a = new PyArray(tf.tensor2d([[1, 2], [3, 4]]));
      const b = new PyArray(tf.tensor1d([5, 6], 'int32'));
      const value = pyTuple([a, pyList([b, a])]);
      const tensors = arraysOf(value);
      expect(tensors).toEqual([a.t, b.t]); // each tensor once
      expect(toJson(value, undefined, readArrays(tensors, true))).toEqual(toJson(value));
    });
  });

  it('leaves arrays past the element cap to toJson, which refuses them with its own error', () => {
    tf.tidy(() => {
      const big = new PyArray(tf.zeros([10, 10]));
      expect(arraysOf(pyList([big]), [], 50)).toEqual([]);
    });
  });
});
