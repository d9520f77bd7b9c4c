// Numeric answers of the detection chapter, computed from the quantities each question's stem gives.

type Box = [x1: number, y1: number, x2: number, y2: number];

/** Intersection over union of two boxes given by their corners (continuous coordinates, no +1). */
function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  const area = (r: Box) => (r[2] - r[0]) * (r[3] - r[1]);
  return inter / (area(a) + area(b) - inter);
}

/**
 * Average precision with all-point interpolation (PASCAL VOC 2010 and later) from a ranked list of
 * detections (true = TP, false = FP) and the number of ground-truth objects.
 */
function averagePrecision(ranked: boolean[], groundTruths: number): number {
  let tp = 0;
  const precision: number[] = [];
  const recall: number[] = [];
  ranked.forEach((isTp, k) => {
    if (isTp) tp += 1;
    precision.push(tp / (k + 1));
    recall.push(tp / groundTruths);
  });
  let ap = 0;
  let previousRecall = 0;
  for (let k = 0; k < ranked.length; k++) {
    if (recall[k]! > previousRecall) {
      // Interpolated precision: the best precision at this recall or any higher one.
      ap += (recall[k]! - previousRecall) * Math.max(...precision.slice(k));
      previousRecall = recall[k]!;
    }
  }
  return ap;
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Number of SSD default boxes: sum over feature maps of (size × size locations) × (boxes per location). */
function ssdDefaultBoxes(mapSizes: number[], boxesPerLocation: number[]): number {
  return mapSizes.reduce((s, m, i) => s + m * m * boxesPerLocation[i]!, 0);
}

/** Output size of a transposed convolution: (I − 1)·S − 2P + K. */
function transposedConvOutput(input: number, kernel: number, stride: number, padding: number): number {
  return (input - 1) * stride - 2 * padding + kernel;
}

/** Receptive field of stacked stride-1 convolutions with kernel k and the given dilations. */
function dilatedReceptiveField(kernel: number, dilations: number[]): number {
  return 1 + dilations.reduce((s, d) => s + (kernel - 1) * d, 0);
}

/** YOLO v1 output size: S × S cells, each with B boxes (x, y, w, h, confidence) and one set of C class probabilities. */
function yoloOutputSize(grid: number, boxes: number, classes: number): number {
  return grid * grid * (5 * boxes + classes);
}

/** Anchors of a Faster R-CNN RPN: one per (feature-map position, scale, aspect ratio); the map is the image over the stride. */
function rpnAnchors(width: number, height: number, stride: number, scales: number, ratios: number): number {
  return (width / stride) * (height / stride) * scales * ratios;
}

/** Effective kernel size of a k × k atrous convolution with rate r: k + (k − 1)(r − 1). */
function atrousKernel(kernel: number, rate: number): number {
  return kernel + (kernel - 1) * (rate - 1);
}

/** CE / FL for one example: FL = α_t (1 − p_t)^γ · CE, so the ratio is 1 / (α_t (1 − p_t)^γ). */
function focalShrink(pt: number, alphaT: number, gamma: number): number {
  return 1 / (alphaT * (1 - pt) ** gamma);
}

/** FPN level of an RoI (Lin et al. 2017, eq. 1): ⌊k0 + log2(√(wh) / 224)⌋. */
function fpnLevel(width: number, height: number, k0 = 4): number {
  return Math.floor(k0 + Math.log2(Math.sqrt(width * height) / 224));
}

/** U-Net crop per side: the encoder map, pooled, two unpadded 3 × 3 convolutions, up-convolved ×2; the difference halved. */
function unetCropPerSide(encoder: number): number {
  const decoder = (encoder / 2 - 2 - 2) * 2;
  return (encoder - decoder) / 2;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const T = true;
const F = false;

export const computed: Record<string, number> = {
  'detection-iou-two-boxes': iou([10, 10, 60, 60], [20, 15, 70, 65]),
  'detection-ap-ranked-list': round(averagePrecision([T, F, T, F, F, T, T, F], 5), 3),
  'detection-map-three-classes': round(mean([0.7, 0.55, averagePrecision([T, T, F, T], 4)]), 3),
  'detection-ssd300-default-box-count': ssdDefaultBoxes([38, 19, 10, 5, 3, 1], [4, 6, 6, 6, 4, 4]),
  'detection-transposed-conv-output-size': transposedConvOutput(14, 4, 2, 1),
  'detection-dilated-receptive-field': dilatedReceptiveField(3, [1, 2, 4]),
  'detection-yolo-output-size': yoloOutputSize(7, 2, 80),
  'detection-faster-rcnn-anchor-count': rpnAnchors(800, 608, 16, 3, 3),
  'detection-deeplab-atrous-kernel': atrousKernel(3, 24),
  'detection-fpn-roi-level': fpnLevel(288, 72),
  'detection-unet-crop': unetCropPerSide(64),
  'detection-focal-loss-ratio': Math.round(focalShrink(0.9, 0.25, 2)),
};
