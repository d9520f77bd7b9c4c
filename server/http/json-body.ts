import { randomBytes } from 'node:crypto';
import type { Bank } from '../bank/bank';

/**
 * JSON response bodies for the API, with the question bank's large HTML (prompts, choices, 解説) encoded once.
 *
 * Serialising a 14 kB explanation (KaTeX markup, full of quotes to escape) and encoding it as UTF-8 cost ~85 µs a
 * reply, about a quarter of an answer's time under load (bench/load.ts). Registered strings are encoded when the bank
 * loads; serialising puts a token in their place and splices the encoded bytes in. The token carries a random nonce
 * of this process, so no string a learner sends can be mistaken for one.
 */
export class JsonBodies {
  private readonly encoded = new Map<string, Buffer>();
  private readonly tokenPrefix = `${randomBytes(12).toString('hex')}:`;

  /** strings shorter than this are serialised as usual (the splice would cost more than it saves) */
  constructor(private readonly minLength = 256) {}

  /** Encodes `text` once for every later reply that contains it. */
  register(text: string): void {
    if (text.length >= this.minLength && !this.encoded.has(text)) this.encoded.set(text, Buffer.from(JSON.stringify(text), 'utf8'));
  }

  /** how many strings are registered */
  get size(): number {
    return this.encoded.size;
  }

  /** `JSON.stringify(value)` as bytes, the same bytes, with registered strings copied in rather than serialised. */
  serialize(value: unknown): Buffer {
    const found: Buffer[] = [];
    const json = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v !== 'string' || v.length < this.minLength) return v;
      const bytes = this.encoded.get(v);
      if (!bytes) return v;
      found.push(bytes);
      return `${this.tokenPrefix}${found.length - 1}`;
    });
    if (found.length === 0) return Buffer.from(json, 'utf8');
    const parts: Buffer[] = [];
    const marker = `"${this.tokenPrefix}`;
    let from = 0;
    for (let at = json.indexOf(marker); at !== -1; at = json.indexOf(marker, from)) {
      const end = json.indexOf('"', at + marker.length);
      parts.push(Buffer.from(json.slice(from, at), 'utf8'), found[Number(json.slice(at + marker.length, end))]!);
      from = end + 1;
    }
    parts.push(Buffer.from(json.slice(from), 'utf8'));
    return Buffer.concat(parts);
  }
}

/** The bank's HTML, registered: what the API's replies repeat most (a session view, an answer's 解説). */
export function bankJsonBodies(bank: Bank): JsonBodies {
  const bodies = new JsonBodies();
  for (const q of bank.questions) {
    bodies.register(q.html.prompt);
    bodies.register(q.html.explanation);
    for (const html of Object.values(q.html.choices)) bodies.register(html);
  }
  return bodies;
}
