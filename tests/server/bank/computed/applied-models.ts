/** Numeric answers of the applied-models chapter (MobileNet, DenseNet, normalisation, WaveNet), computed from each stem. */

/** Multiplications of a standard K×K convolution, H×W output, C → M channels. */
function standardConvCost(H: number, W: number, K: number, C: number, M: number): number {
  return H * W * K * K * C * M;
}

/** Multiplications of a depthwise (K×K per channel) then pointwise (1×1, C → M) convolution. */
function separableConvCost(H: number, W: number, K: number, C: number, M: number): number {
  return H * W * K * K * C + H * W * C * M;
}

/** Weights (no bias) of a depthwise separable convolution. */
function separableConvParams(K: number, C: number, M: number): number {
  return K * K * C + C * M;
}

/** Input channels of the l-th layer (1-based) of a dense block: k0 + k(l − 1). */
function denseLayerInput(k0: number, k: number, l: number): number {
  return k0 + k * (l - 1);
}

/** Channels after a dense block of `layers` layers with growth rate k. */
function denseBlockOut(channels: number, k: number, layers: number): number {
  return channels + k * layers;
}

/** Channels after a transition layer with compression θ. */
function transition(channels: number, theta: number): number {
  return Math.floor(theta * channels);
}

/** Training-time batch normalisation of one value of a feature (population variance, ε ignored). */
function batchNormValue(batch: number[], value: number, gamma: number, beta: number): number {
  const mean = batch.reduce((a, b) => a + b, 0) / batch.length;
  const variance = batch.reduce((a, b) => a + (b - mean) ** 2, 0) / batch.length;
  return gamma * ((value - mean) / Math.sqrt(variance)) + beta;
}

/** Product of the sizes of the given axes of a shape. */
function elementsOver(shape: number[], axes: number[]): number {
  return axes.reduce((p, a) => p * shape[a]!, 1);
}

/** Receptive field of stacked 1-D convolutions with kernel size k and the given dilations: 1 + (k − 1)·Σd. */
function receptiveField(k: number, dilations: number[]): number {
  return 1 + (k - 1) * dilations.reduce((a, b) => a + b, 0);
}

/** Multiplications of a MobileNetV2 block: 1×1 expansion to t·d, k×k depthwise, 1×1 projection to dOut, on h×w. */
function invertedResidualCost(h: number, w: number, d: number, t: number, k: number, dOut: number): number {
  const wide = t * d;
  return h * w * (d * wide + wide * k * k + wide * dOut);
}

/** FLOPs growth of compound scaling: depth α^φ, width β^φ, resolution γ^φ; FLOPs ∝ depth · width² · resolution². */
function compoundFlops(alpha: number, beta: number, gamma: number, phi: number): number {
  return alpha ** phi * (beta ** phi) ** 2 * (gamma ** phi) ** 2;
}

const sig = (x: number, digits: number) => Number(x.toPrecision(digits));
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const doubling = (layers: number) => Array.from({ length: layers }, (_, i) => 2 ** i);

export const computed: Record<string, number> = {
  'mobilenet-cost-reduction-ratio': round(standardConvCost(28, 28, 3, 128, 256) / separableConvCost(28, 28, 3, 128, 256), 2),
  'mobilenet-separable-param-count': separableConvParams(3, 32, 64),
  'densenet-layer-input-channels': denseLayerInput(24, 12, 10),
  'densenet-block-transition-channels': denseBlockOut(transition(denseBlockOut(64, 32, 6), 0.5), 32, 12),
  // BN over (N, C, H, W) averages over axes (0, 2, 3)
  'batchnorm-stat-elements': elementsOver([8, 16, 32, 32], [0, 2, 3]),
  'batchnorm-forward-value': round(batchNormValue([1, 3, 5, 7], 7, 2, 0.5), 3),
  'wavenet-receptive-field-stacks': receptiveField(2, [...doubling(10), ...doubling(10), ...doubling(10)]),
  'mobilenetv2-block-cost': invertedResidualCost(28, 28, 32, 6, 3, 32),
  'efficientnet-compound-scaling': sig(compoundFlops(1.2, 1.1, 1.15, 2), 3),
};
