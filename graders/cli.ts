// The `grader` CLI. Subcommands:
//
//   eval   JSON Lines on stdin, one case a line: {"code": "<python>", "inputs": {"name": <value>, …}}
//          (optional: "seed": n, "limits": {"timeoutMs": …}); one JSON line per case on stdout, in order:
//          {"ok": true, "value": <value>, "stdout": "<printed>"} or
//          {"ok": false, "error": {"type": "ValueError", "message": "…", "line": 1, "col": 5, …}}.
//          Values use the codec of graders/numpy/json-values.ts. A bad case never stops the others; exit 0.
//
//   grade <question-id> [--seed n]
//          the submission (a code item's blank, or a function item's whole code) on stdin; prints one JSON object
//          {"verdict": "correct" | "incorrect" | "error", "passed": n, "total": n, "message": "…", "cases": […],
//           "seed": n}. The same seed repeats the same cases (by default a fixed seed, 1). Exit 0 whatever the verdict.
//
// Options: --backend cpu|wasm (default cpu).
// Run: npm run --silent grader -- eval   (or: npx tsx graders/cli.ts eval)

import { createInterface } from 'node:readline';
import { initBackend, type NodeBackend } from './numpy/backend-node';
import { type EvalOptions, evaluateToText } from './numpy/index';
import { gradeCode } from './code/grade-code';
import { GRADERS } from './references/index';

type Subcommand = (args: string[]) => Promise<number>;

function optionValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

function errorLine(type: string, message: string): string {
  return JSON.stringify({ ok: false, error: { type, message, line: 0, col: 0 } });
}

/** One case (a line of input) → one line of output. Never throws. */
export function evalLine(line: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    return errorLine('InputError', `invalid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return errorLine('InputError', 'a case must be a JSON object');
  const c = parsed as { code?: unknown; inputs?: unknown; seed?: unknown; limits?: unknown };
  if (typeof c.code !== 'string') return errorLine('InputError', '"code" must be a string');
  if (c.inputs !== undefined && (typeof c.inputs !== 'object' || c.inputs === null || Array.isArray(c.inputs))) {
    return errorLine('InputError', '"inputs" must be an object');
  }
  const options: EvalOptions = {};
  if (typeof c.limits === 'object' && c.limits !== null) Object.assign(options, c.limits);
  if (typeof c.seed === 'number') options.seed = c.seed;
  try {
    const r = evaluateToText(c.code, (c.inputs ?? {}) as Record<string, never>, options);
    if (r.ok) return `{"ok":true,"value":${r.valueText},"stdout":${JSON.stringify(r.stdout)}}`;
    return JSON.stringify({ ok: false, error: r.error });
  } catch (e) {
    return errorLine('InternalError', (e as Error).message);
  }
}

const evalCommand: Subcommand = async (args) => {
  const backend = (optionValue(args, '--backend') ?? 'cpu') as NodeBackend;
  if (backend !== 'cpu' && backend !== 'wasm') {
    process.stderr.write(`grader eval: unknown backend '${backend}' (cpu or wasm)\n`);
    return 2;
  }
  await initBackend(backend);
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    const out = evalLine(line);
    if (!process.stdout.write(out + '\n')) await new Promise((r) => process.stdout.once('drain', r));
  }
  return 0;
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const gradeCommand: Subcommand = async (args) => {
  const id = args.find((a) => !a.startsWith('--') && a !== optionValue(args, '--seed') && a !== optionValue(args, '--backend'));
  const seed = Number(optionValue(args, '--seed') ?? 1);
  const backend = (optionValue(args, '--backend') ?? 'cpu') as NodeBackend;
  if (!id || !Number.isSafeInteger(seed) || (backend !== 'cpu' && backend !== 'wasm')) {
    process.stderr.write('usage: grader grade <question-id> [--seed n] [--backend cpu|wasm] < submission\n');
    return 2;
  }
  // The bank is read here only: the grading itself (graders/code) stays free of I/O.
  const { buildBank } = await import('../server/bank/bank');
  const question = buildBank().byId.get(id);
  const grader = question ? GRADERS.get(question.kind === 'code' || question.kind === 'function' ? (question.grader ?? question.id) : '') : undefined;
  if (!question || (question.kind !== 'code' && question.kind !== 'function') || !grader) {
    process.stderr.write(`grader grade: '${id}' is not a code or function item of the bank\n`);
    return 2;
  }
  await initBackend(backend);
  const submission = (await readStdin()).replace(/\s+$/, '');
  const verdict = gradeCode({ id: question.id, kind: question.kind, template: question.template }, grader, submission, seed);
  process.stdout.write(`${JSON.stringify(verdict)}\n`);
  return 0;
};

const subcommands: Record<string, Subcommand> = {
  eval: evalCommand,
  grade: gradeCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const cmd = name ? subcommands[name] : undefined;
  if (!cmd) {
    process.stderr.write(`usage: grader <${Object.keys(subcommands).join('|')}> [--backend cpu|wasm] < cases.jsonl\n`);
    return 2;
  }
  return cmd(rest);
}

const isMain = typeof process !== 'undefined' && process.argv[1] !== undefined && /cli\.[cm]?[jt]s$/.test(process.argv[1]);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`grader: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
