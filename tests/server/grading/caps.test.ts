import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundedJson, CAPS, capText, capValue, capVerdict, OMITTED } from '../../../graders/code/caps';
import type { CodeVerdict } from '../../../graders/code/types';
import { buildBank } from '../../../server/bank/bank';
import { GradingPool } from '../../../server/grading/pool';

describe('caps on what a grading run sends back', () => {
  it('cuts text at the cap with a visible marker, never inside a surrogate pair', () => {
    expect(capText('abc', 3)).toBe('abc');
    expect(capText('abcd', 3)).toBe(`abc${OMITTED}`);
    expect(OMITTED).toBe('…（省略）');
    expect(capText('ab😀c', 3)).toBe(`ab${OMITTED}`);
  });

  it('writes at most the budget of a huge value, and keeps small values as they are', () => {
    const huge = { dtype: 'float32' as const, shape: [1_000_000], data: new Array<number>(1_000_000).fill(0.5) };
    const { text, complete } = boundedJson(huge, 100);
    expect(complete).toBe(false);
    expect(text.length).toBeLessThanOrEqual(100);
    expect(text.startsWith('{"dtype":"float32","shape":[1000000],"data":[0.5,0.5')).toBe(true);
    const small = { dict: [['a', [1, 2, { float: 'nan' as const }]]] as [string, unknown][] } as never;
    expect(capValue(small)).toBe(small);
    expect(boundedJson(small, 1_000)).toEqual({ text: JSON.stringify(small), complete: true });
    expect(capValue('y'.repeat(500_000))).toEqual({ repr: `"${'y'.repeat(199)}${OMITTED}` });
  });

  it('caps the verdict message, each case error and mismatch', () => {
    const long = 'x'.repeat(50_000);
    const verdict: CodeVerdict = {
      verdict: 'incorrect',
      passed: 0,
      total: 2,
      seed: 1,
      message: long,
      cases: [
        { index: 0, visible: true, passed: false, error: { type: long, message: long, line: 1, col: 1, where: 'answer' } },
        { index: 1, visible: false, passed: false, mismatch: { kind: 'shape', path: long, message: long, gotShape: new Array(1000).fill(1), source: 'result' } },
      ],
    };
    const capped = capVerdict(verdict);
    expect(capped.message).toBe(`${'x'.repeat(CAPS.message)}${OMITTED}`);
    expect(capped.cases[0]!.error).toMatchObject({ type: `${'x'.repeat(CAPS.errorType)}${OMITTED}`, message: `${'x'.repeat(CAPS.errorMessage)}${OMITTED}` });
    expect(capped.cases[1]!.mismatch!.path).toHaveLength(CAPS.path + OMITTED.length);
    expect(capped.cases[1]!.mismatch!.gotShape).toHaveLength(CAPS.dims);
    expect(JSON.stringify(capped).length).toBeLessThan(6_000);
  });
});

describe('caps applied in the grading process (the real bundle)', () => {
  const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
  let pool: GradingPool;
  beforeAll(() => {
    pool = new GradingPool({ size: 1 });
  });
  afterAll(async () => {
    await pool.close();
  });

  function itemOf(id: string) {
    const q = bank.byId.get(id);
    if (!q || (q.kind !== 'code' && q.kind !== 'function')) throw new Error(`${id} is not a code item`);
    return { item: { id: q.id, kind: q.kind, template: q.template }, graderKey: q.grader ?? q.id };
  }

  it('an error message carrying a 7,000-character name comes back capped', async () => {
    const reply = await pool.run({ type: 'grade', ...itemOf('birnn-concat'), code: 'x'.repeat(7_000), seed: 1 });
    if (!reply.ok || reply.type !== 'grade') throw new Error(JSON.stringify(reply).slice(0, 500));
    const { verdict } = reply;
    expect(verdict.verdict).toBe('error');
    expect(verdict.message.startsWith("例のケースで NameError: 名前 'xxxx")).toBe(true);
    expect(verdict.message).toBe(`${verdict.message.slice(0, CAPS.message)}${OMITTED}`);
    expect(verdict.cases[0]!.error!.message).toHaveLength(CAPS.errorMessage + OMITTED.length);
    expect(JSON.stringify(verdict).length).toBeLessThan(10_000); // five cases of 1,000 characters and the message
  });

  it('printed output and a returned value of 実行 come back capped', async () => {
    const code = "def softmax(x):\n    print('x' * 15000)\n    return 'y' * 500000";
    const reply = await pool.run({ type: 'run', ...itemOf('attention-softmax-function'), code, seed: 1 });
    if (!reply.ok || reply.type !== 'run') throw new Error(JSON.stringify(reply).slice(0, 500));
    expect(reply.run.stdout).toBe(`${'x'.repeat(CAPS.stdout)}${OMITTED}`);
    expect(reply.run.result).toEqual({ repr: `"${'y'.repeat(199)}${OMITTED}` });
  });
});
