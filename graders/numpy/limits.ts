// Resource limits of one evaluation. Every limit is configurable; hitting one raises a clean PyError whose
// `limit` field names it. Sizes are checked before the allocation they guard.
//
//   limit            class           meaning
//   maxSteps         TimeoutError    AST evaluations (expressions + statements) per evaluation, plus one per item
//                                    a builtin iterates, per element compared in containers, per map/filter call
//   timeoutMs        TimeoutError    wall time per evaluation, checked every 64 steps and after bulk work
//   maxArrayElements MemoryError     elements of one array; length of one list / tuple / dict / str (strings are
//                                    refused before they are built); elements of a value leaving the evaluation
//   maxTotalElements MemoryError     elements of all arrays created in one evaluation (matrix products also
//                                    count their multiply-adds), so a loop cannot allocate without bound
//   maxRecursion     RecursionError  depth of nested calls of learner-defined functions, and nesting depth of the
//                                    containers repr / == / < / hashing walk (capped at 1000 for the JS stack)
//   maxCodeLength    MemoryError     characters of source code
//   maxOutputChars   MemoryError     characters printed with print()

export interface Limits {
  maxSteps: number;
  timeoutMs: number;
  maxArrayElements: number;
  maxTotalElements: number;
  maxRecursion: number;
  maxCodeLength: number;
  maxOutputChars: number;
}

export type LimitName = keyof Limits;

/** Defaults that suit the course (small matrices, loops over tens of time steps). */
export const defaultLimits: Readonly<Limits> = Object.freeze({
  maxSteps: 1_000_000,
  timeoutMs: 2_000,
  maxArrayElements: 1_000_000,
  maxTotalElements: 20_000_000,
  maxRecursion: 200,
  maxCodeLength: 20_000,
  maxOutputChars: 20_000,
});

export function resolveLimits(options?: Partial<Limits>): Limits {
  if (!options) return { ...defaultLimits };
  const out: Limits = { ...defaultLimits };
  for (const key of Object.keys(defaultLimits) as LimitName[]) {
    const v = options[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[key] = v;
  }
  return out;
}
