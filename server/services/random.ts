import { seededRandom } from '../../graders/code/rng';

/** Fisher–Yates with the seeded generator; returns a new array. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const next = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** The seed of a code item's grading cases in a session: fixed per session and question, so a regrade repeats them. */
export function codeSeed(sessionSeed: number, questionId: string): number {
  let h = sessionSeed >>> 0;
  for (let i = 0; i < questionId.length; i++) h = Math.imul(h ^ questionId.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0x7fffffff;
}
