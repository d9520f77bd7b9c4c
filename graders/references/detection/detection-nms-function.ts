import type { JsonArray } from '../../numpy/json-values';
import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';

type Box = [number, number, number, number];

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

function greedyNms(boxes: Box[], scores: number[], threshold: number): number[] {
  let order = scores.map((_, i) => i).sort((p, q) => scores[q]! - scores[p]!);
  const keep: number[] = [];
  while (order.length > 0) {
    const i = order[0]!;
    keep.push(i);
    order = order.slice(1).filter((j) => iou(boxes[i]!, boxes[j]!) <= threshold);
  }
  return keep;
}

const f = Math.fround;

function box(x: number, y: number, w: number, h: number): Box {
  return [f(x), f(y), f(x + w), f(y + h)];
}

/** A box near `b`: shifted and resized a little, so it overlaps `b` a lot. */
function near(rng: CaseRng, b: Box): Box {
  const w = (b[2] - b[0]) * rng.uniform(0.8, 1.2);
  const h = (b[3] - b[1]) * rng.uniform(0.8, 1.2);
  return box(b[0] + rng.uniform(-0.6, 0.6), b[1] + rng.uniform(-0.6, 0.6), w, h);
}

function shuffle<T>(rng: CaseRng, items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Boxes and their scores (highest first) for the case kind; index order is shuffled later. */
function scene(rng: CaseRng, index: number): { boxes: Box[]; threshold: number } {
  if (index === 4) {
    // Disjoint boxes on a grid: nothing is suppressed, the answer is every index by score.
    const cells = shuffle(rng, [0, 1, 2, 3, 4, 5, 6, 7, 8]).slice(0, rng.int(4, 6));
    return { boxes: cells.map((c) => box((c % 3) * 10 + rng.uniform(0, 2), Math.floor(c / 3) * 10 + rng.uniform(0, 2), rng.uniform(3, 6), rng.uniform(3, 6))), threshold: 0.5 };
  }
  if (index === 5) {
    // A chain A > B > C: B overlaps A and C (IoU 0.6), A and C overlap less (IoU 1/3). B is suppressed by A,
    // so C survives: only boxes already kept suppress others.
    const x = rng.uniform(0, 5);
    const y = rng.uniform(0, 5);
    const chain = [box(x, y, 4, 4), box(x + 1, y, 4, 4), box(x + 2, y, 4, 4)];
    return { boxes: [...chain, box(x + 20, y + rng.uniform(0, 5), 3, 3)], threshold: 0.5 };
  }
  // Two or three clusters of overlapping boxes plus a stray one.
  const clusters = Array.from({ length: rng.int(2, 3) }, (_, c) => box(c * 12 + rng.uniform(0, 3), rng.uniform(0, 6), rng.uniform(3, 6), rng.uniform(3, 6)));
  const boxes: Box[] = [];
  for (const c of clusters) {
    boxes.push(c);
    for (let k = rng.int(1, 2); k > 0; k--) boxes.push(near(rng, c));
  }
  boxes.push(box(rng.uniform(0, 30), 20, rng.uniform(2, 5), rng.uniform(2, 5)));
  return { boxes: shuffle(rng, boxes), threshold: rng.pick([0.3, 0.5, 0.7]) };
}

export const detectionNmsFunction: CodeGrader = {
  key: 'detection-nms-function',
  prelude: '',
  call: 'nms(boxes, scores, iou_threshold)',
  knownWrong: [
    // keeps the overlapping boxes and drops the others
    'def nms(boxes, scores, iou_threshold):\n    order = np.argsort(-scores)\n    keep = []\n    while len(order) > 0:\n        i = order[0]\n        keep.append(i)\n        rest = order[1:]\n        w = np.maximum(0, np.minimum(boxes[i, 2], boxes[rest, 2]) - np.maximum(boxes[i, 0], boxes[rest, 0]))\n        h = np.maximum(0, np.minimum(boxes[i, 3], boxes[rest, 3]) - np.maximum(boxes[i, 1], boxes[rest, 1]))\n        inter = w * h\n        a = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])\n        order = rest[inter / (a[i] + a[rest] - inter) > iou_threshold]\n    return keep',
    // suppresses a box if any higher-scored box overlaps it, kept or not
    'def nms(boxes, scores, iou_threshold):\n    a = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])\n    keep = []\n    for i in np.argsort(-scores):\n        ok = True\n        for j in range(len(scores)):\n            if scores[j] > scores[i]:\n                w = max(0, min(boxes[i, 2], boxes[j, 2]) - max(boxes[i, 0], boxes[j, 0]))\n                h = max(0, min(boxes[i, 3], boxes[j, 3]) - max(boxes[i, 1], boxes[j, 1]))\n                if w * h / (a[i] + a[j] - w * h) > iou_threshold:\n                    ok = False\n        if ok:\n            keep.append(i)\n    return keep',
    // processes boxes from the lowest score up
    'def nms(boxes, scores, iou_threshold):\n    order = np.argsort(scores)\n    keep = []\n    while len(order) > 0:\n        i = order[0]\n        keep.append(i)\n        rest = order[1:]\n        w = np.maximum(0, np.minimum(boxes[i, 2], boxes[rest, 2]) - np.maximum(boxes[i, 0], boxes[rest, 0]))\n        h = np.maximum(0, np.minimum(boxes[i, 3], boxes[rest, 3]) - np.maximum(boxes[i, 1], boxes[rest, 1]))\n        inter = w * h\n        a = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])\n        order = rest[inter / (a[i] + a[rest] - inter) <= iou_threshold]\n    return keep',
  ],
  cases: 6,
  makeCase(rng, index) {
    for (;;) {
      const { boxes, threshold } = scene(rng, index);
      const n = boxes.length;
      // Scores sorted high to low in the scene's order, then shuffled together with the boxes, so the index order
      // is not the score order.
      const sorted = Array.from({ length: n }, () => rng.uniform(0.1, 0.99)).sort((p, q) => q - p);
      const perm = shuffle(rng, Array.from({ length: n }, (_, i) => i));
      const shuffledBoxes = perm.map((p) => boxes[p]!);
      const scores = perm.map((p) => sorted[p]!);
      // No IoU within 0.02 of the threshold (float32 vs float64) and no tied scores.
      let clear = new Set(scores).size === n;
      for (let i = 0; i < n && clear; i++) for (let j = i + 1; j < n; j++) if (Math.abs(iou(shuffledBoxes[i]!, shuffledBoxes[j]!) - threshold) < 0.02) clear = false;
      if (!clear) continue;
      return {
        boxes: { dtype: 'float32', shape: [n, 4], data: shuffledBoxes.flat() },
        scores: { dtype: 'float32', shape: [n], data: scores },
        iou_threshold: threshold,
      };
    }
  },
  reference(inputs) {
    const b = inputs.boxes as JsonArray;
    const data = b.data as number[];
    const boxes = Array.from({ length: b.shape[0]! }, (_, i) => data.slice(4 * i, 4 * i + 4) as Box);
    return { result: greedyNms(boxes, (inputs.scores as JsonArray).data as number[], inputs.iou_threshold as number), blanks: null };
  },
};
