// Runs every snippet of tests/golden/numpy/cases.json (written by make.py with real numpy) through the
// interpreter: values within rtol 1e-4 / atol 1e-5, shapes and dtype kinds exact, error classes equal.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { evaluateWith } from '../../../graders/numpy/index';
import { type Tagged, diff, tag } from './golden-compare';

interface GoldenCase {
  name: string;
  code: string;
  inputs: Record<string, never>;
  expect: Tagged | { error: string };
  stdout?: string;
  /** Offset where the case's own code starts after a prelude (textbook_layers.py): counted as the learner's. */
  learnerFrom?: number;
}

const file = fileURLToPath(new URL('../../golden/numpy/cases.json', import.meta.url));
const golden = JSON.parse(readFileSync(file, 'utf8')) as { count: number; cases: GoldenCase[] };

const backend = (process.env.GOLDEN_BACKEND ?? 'cpu') as 'cpu' | 'wasm';

beforeAll(async () => {
  expect(await initBackend(backend)).toBe(backend);
});

describe(`golden cases from real numpy (${backend} backend)`, () => {
  it('has at least 250 cases', () => {
    expect(golden.cases.length).toBeGreaterThanOrEqual(250);
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const options = c.learnerFrom === undefined ? {} : { learnerSpan: { from: c.learnerFrom, to: c.code.length } };
    const r = evaluateWith(c.code, c.inputs, options, ({ value }) => ({ tagged: tag(value) }));
    const exp = c.expect;
    if (exp !== null && typeof exp === 'object' && 'error' in exp) {
      expect(r.ok ? `ok: ${JSON.stringify(r.tagged).slice(0, 300)}` : r.error.type).toBe(exp.error);
      return;
    }
    if (!r.ok) throw new Error(`${r.error.type}: ${r.error.message} (line ${r.error.line}, col ${r.error.col})${r.error.detail ? ` [${r.error.detail}]` : ''}`);
    expect(diff(exp, r.tagged)).toBeNull();
    if (c.stdout !== undefined) expect(r.stdout).toBe(c.stdout);
  });
});
