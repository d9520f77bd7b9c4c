import type { JsonArray } from '../../numpy/json-values';
import type { CaseRng } from '../../code/rng';

/** A Q table (n_states, n_actions) as the interpreter's JSON, values rounded to float32. */
export function qTable(rng: CaseRng, states: number, actions: number): JsonArray {
  return { dtype: 'float32', shape: [states, actions], data: Array.from({ length: states * actions }, () => Math.fround(rng.normal(0, 2))) };
}

export function cell(Q: JsonArray, s: number, a: number): number {
  return Q.data[s * Q.shape[1]! + a] as number;
}

export function rowMax(Q: JsonArray, s: number): number {
  const n = Q.shape[1]!;
  return Math.max(...(Q.data.slice(s * n, (s + 1) * n) as number[]));
}

export function argmaxRow(Q: JsonArray, s: number): number {
  const n = Q.shape[1]!;
  const row = Q.data.slice(s * n, (s + 1) * n) as number[];
  return row.indexOf(Math.max(...row));
}

/** A copy of Q with Q[s, a] set to value (float32). */
export function withCell(Q: JsonArray, s: number, a: number, value: number): JsonArray {
  const data = [...Q.data];
  data[s * Q.shape[1]! + a] = Math.fround(value);
  return { dtype: 'float32', shape: [...Q.shape], data };
}
