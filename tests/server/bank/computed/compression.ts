/** Numeric answers of the compression (軽量化・高速化) chapter, computed from the quantities in each stem. */

/** Parameter count of a stack of fully connected layers with biases, e.g. [784, 1024, 1024, 10]. */
function denseParams(sizes: number[]): number {
  let total = 0;
  for (let i = 0; i + 1 < sizes.length; i++) total += sizes[i]! * sizes[i + 1]! + sizes[i + 1]!;
  return total;
}

/** Softmax with temperature T. */
function softmaxT(logits: number[], T: number): number[] {
  const scaled = logits.map((z) => z / T);
  const max = Math.max(...scaled);
  const exps = scaled.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** Symmetric INT8 code of w: round(w / s) with s = maxAbs / 127. */
function int8Symmetric(w: number, maxAbs: number): number {
  const s = maxAbs / 127;
  const x = w / s;
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** Parameter updates per epoch in synchronous data parallelism: one update per step of all workers. */
function syncUpdatesPerEpoch(samples: number, workers: number, batchPerWorker: number): number {
  return samples / (workers * batchPerWorker);
}

/** Dense FP32 bytes over sparse (value + index) bytes after pruning a fraction of the weights. */
function sparseCompression(rows: number, cols: number, prunedFraction: number, valueBytes: number, indexBytes: number): number {
  const dense = rows * cols * 4;
  const kept = Math.round(rows * cols * (1 - prunedFraction));
  return dense / (kept * (valueBytes + indexBytes));
}

/** UINT8 code of x under asymmetric quantisation: s = (max − min) / 255, z = round(−min / s), q = clip(round(x / s) + z, 0, 255). */
function uint8Asymmetric(x: number, min: number, max: number): number {
  const s = (max - min) / 255;
  const z = Math.round(-min / s);
  return Math.min(255, Math.max(0, Math.round(x / s) + z));
}

/** Bytes each of N GPUs sends in one ring all-reduce of `size`: N − 1 blocks in reduce-scatter, N − 1 in all-gather. */
function ringAllReduceSent(size: number, gpus: number): number {
  return 2 * (gpus - 1) * (size / gpus);
}

/** Idle fraction of a K-stage pipeline fed with M equal micro-batches. */
function bubbleFraction(stages: number, microBatches: number): number {
  return (stages * (microBatches + stages - 1) - stages * microBatches) / (stages * (microBatches + stages - 1));
}

/** Significant digits. */
const sig = (x: number, digits: number) => Number(x.toPrecision(digits));

const MB = 1e6;
const GB = 1e9;
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export const computed: Record<string, number> = {
  'compression-sync-data-parallel-updates': syncUpdatesPerEpoch(51200, 4, 64),
  'compression-quantization-mlp-memory': round((denseParams([784, 1024, 1024, 10]) * (4 - 1)) / MB, 2),
  'compression-int8-symmetric-code': int8Symmetric(-0.2013, 0.635),
  'compression-distillation-temperature-prob': round(softmaxT([3.0, 1.0, 0.2], 2)[1]!, 3),
  'compression-pruning-sparse-storage': sparseCompression(1000, 1000, 0.8, 4, 4),
  // parameters, gradients, Adam's m and v: four FP32 values per parameter
  'compression-adam-training-memory': (3e8 * 4 * 4) / GB,
  'compression-asymmetric-zero-point': uint8Asymmetric(0.75, -0.51, 1.53),
  'compression-ring-allreduce-traffic': ringAllReduceSent(1.2, 8),
  'compression-pipeline-bubble': bubbleFraction(4, 12),
  // multiply-adds of a 3×3 conv 128 → 128 on 56×56, two FLOPs each, batch 64, at 25% of 120 TFLOPS; in ms
  'compression-flops-fp16-throughput': sig(((2 * 56 * 56 * 128 * 3 * 3 * 128 * 64) / (120e12 * 0.25)) * 1e3, 3),
};
