import type { JsonValue } from '@/graders/numpy/json-values';

function formatNumber(x: number | boolean | string): string {
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (typeof x === 'string') return x;
  return Number.isInteger(x) ? `${x}.` : x.toFixed(4).replace(/0+$/, '').replace(/\.$/, '.0');
}

function nested(data: (number | boolean | string)[], shape: number[], depth = 0): string {
  if (shape.length === 0) return formatNumber(data[0] ?? 0);
  const [n = 0, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  const parts = Array.from({ length: n }, (_, i) => nested(data.slice(i * step, (i + 1) * step), rest, depth + 1));
  const sep = rest.length > 0 ? `,\n${' '.repeat(depth + 1)}` : ', ';
  return `[${parts.join(sep)}]`;
}

/** A value from the interpreter as numpy would print it (arrays with their shape and dtype), kept short. */
export function formatValue(value: JsonValue, limit = 2000): string {
  let text: string;
  if (value === null) text = 'None';
  else if (typeof value === 'number') text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(7)));
  else if (typeof value === 'boolean') text = value ? 'True' : 'False';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else if (Array.isArray(value)) text = `(${value.map((v) => formatValue(v, limit)).join(', ')})`;
  else if ('shape' in value) {
    const shape = value.shape.length === 1 ? `(${value.shape[0]},)` : `(${value.shape.join(', ')})`;
    text = `array(${nested(value.data, value.shape, 6)}, shape=${shape}, dtype=${value.dtype})`;
  } else if ('float' in value) text = value.float;
  else if ('dict' in value) text = `{${value.dict.map(([k, v]) => `${formatValue(k)}: ${formatValue(v)}`).join(', ')}}`;
  else text = value.repr;
  return text.length > limit ? `${text.slice(0, limit)} …` : text;
}
