// The `grader` CLI. Subcommands:
//
//   eval   JSON Lines on stdin, one case a line: {"code": "<python>", "inputs": {"name": <value>, …}}
//          (optional: "seed": n, "limits": {"timeoutMs": …}); one JSON line per case on stdout, in order:
//          {"ok": true, "value": <value>, "stdout": "<printed>"} or
//          {"ok": false, "error": {"type": "ValueError", "message": "…", "line": 1, "col": 5, …}}.
//          Values use the codec of graders/numpy/json-values.ts. A bad case never stops the others; exit 0.
//
// Options: --backend cpu|wasm (default cpu).
// Run: npm run --silent grader -- eval   (or: npx tsx graders/cli.ts eval)

import { createInterface } from 'node:readline';
import { initBackend, type NodeBackend } from './numpy/backend-node';
import { type EvalOptions, evaluateToText } from './numpy/index';

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

const subcommands: Record<string, Subcommand> = {
  eval: evalCommand,
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
