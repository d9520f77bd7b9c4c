import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function grade(id: string, submission: string, ...args: string[]) {
  const out = execFileSync(tsx, ['graders/cli.ts', 'grade', id, ...args], { cwd: root, input: submission, encoding: 'utf8' });
  return JSON.parse(out) as { verdict: string; passed: number; total: number; message: string; cases: { mismatch?: { gotShape?: number[] } }[]; seed: number };
}

describe('npm run grader -- grade', () => {
  it('prints one JSON verdict per submission, with the seed that reproduces it', () => {
    expect(grade('birnn-concat', 'np.concatenate([h_f, h_b[::-1]], axis=1)\n')).toMatchObject({ verdict: 'correct', passed: 5, total: 5, seed: 1 });
    const wrong = grade('birnn-concat', 'np.concatenate([h_f, h_b[::-1]], axis=0)', '--seed', '42');
    expect(wrong).toMatchObject({ verdict: 'incorrect', passed: 0, total: 5, seed: 42 });
    expect(wrong.message).toContain('期待 (3, 8)、実際 (6, 4)');
    expect(wrong.cases[0]?.mismatch?.gotShape).toEqual([6, 4]);
    const broken = grade('seq2seq-embedding', 'E.dot(w');
    expect(broken).toMatchObject({ verdict: 'error', passed: 0 });
    expect(broken.message).toMatch(/^SyntaxError: .*（1行\d+列）$/);
  }, 60_000);

  it('refuses an id that is not a code item, with exit 2', () => {
    const r = spawnSync(tsx, ['graders/cli.ts', 'grade', 'sigmoid-grad-max'], { cwd: root, input: '1', encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("'sigmoid-grad-max' is not a code or function item");
  }, 60_000);
});
