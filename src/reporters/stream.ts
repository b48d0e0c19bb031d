// Streaming report output: the same text as `jsonSafe(JSON.stringify(value, null, 2))`,
// produced as a sequence of chunks so a large report (1,000 workloads, tens of
// thousands of findings) is never held as one giant string. The reporters'
// signature stays `report(scan) -> string`; a reporter may also offer
// `reportTo(scan, options) -> chunks`, which the CLI uses for files and stdout.
import { jsonSafe } from '../lib/sanitize.js';
import type { ScanResult } from '../model/report.js';
import type { ReporterOptions } from './index.js';

/** A reporter that yields its report in chunks; their concatenation equals the reporter's string. */
export type StreamingReporter = (scan: ScanResult, options: ReporterOptions) => Iterable<string> | AsyncIterable<string>;

/** Chunks of about this many characters are yielded (small pieces are joined). */
const CHUNK_CHARS = 64 * 1024;

/** Items of an array written whole are stringified this many at a time (one call, not one per item). */
const BATCH_ITEMS = 32;

/**
 * Array items made only when they are written, a batch at a time: the items
 * of a large report (a result or a finding copied into the report's shape)
 * are then garbage as soon as they are written, instead of living until the
 * end and being copied by the collector. JSON.stringify sees an array (toJSON
 * makes every item at once).
 */
export class LazyItems<T> {
  readonly length: number;
  readonly #make: (start: number, end: number) => T[];

  /** `make(start, end)` returns items `start` to `end - 1`. */
  constructor(length: number, make: (start: number, end: number) => T[]) {
    this.length = length;
    this.#make = make;
  }

  /** Items `start` to `end - 1` (as `Array.prototype.slice`, with end at most `length`). */
  slice(start: number, end: number): T[] {
    return this.#make(start, Math.min(end, this.length));
  }

  toJSON(): T[] {
    return this.#make(0, this.length);
  }
}

function isPlainContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * JSON.stringify(value, null, 2) as it reads `depth` levels deep (its inner
 * lines indented that much more), and `null` where JSON.stringify gives
 * undefined. Stringified inside `depth` arrays and cut out: no pass over the
 * text to indent it.
 */
function stringifyAt(value: unknown, depth: number): string {
  let wrapped = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2) ?? 'null';
  // Before the value: `[\n` and an indent for each wrapper; after it: a line break, an indent and `]`.
  return depth === 0 ? text : text.slice(depth * (depth + 3), text.length - depth * (depth + 1));
}

/** The pieces of JSON.stringify(value, null, 2) (at `depth` levels of indentation), descending `levels` deep. */
function* pieces(value: unknown, depth: number, levels: number): Generator<string> {
  if (levels <= 0 || !(isPlainContainer(value) || value instanceof LazyItems)) {
    yield stringifyAt(value, depth);
    return;
  }
  const pad = '  '.repeat(depth);
  const inner = `${pad}  `;
  if (Array.isArray(value) || value instanceof LazyItems) {
    const list: { length: number; slice(start: number, end: number): unknown[] } = value;
    if (list.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < list.length; i += BATCH_ITEMS) {
      const batch = list.slice(i, i + BATCH_ITEMS);
      const last = i + BATCH_ITEMS >= list.length;
      if (levels === 1) {
        // Items written whole: the batch as an array, without its brackets.
        const text = stringifyAt(batch, depth);
        yield text.slice(2, text.length - pad.length - 2);
      } else {
        for (let j = 0; j < batch.length; j++) {
          const item: unknown = batch[j];
          yield inner;
          // JSON.stringify writes null for array holes, undefined, functions and symbols.
          if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
          else yield* pieces(item, depth + 1, levels - 1);
          if (j < batch.length - 1) yield ',\n';
        }
      }
      yield last ? `\n${pad}]` : ',\n';
    }
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i] as [string, unknown];
    yield `${inner}${JSON.stringify(key)}: `;
    yield* pieces(v, depth + 1, levels - 1);
    yield i < entries.length - 1 ? ',\n' : `\n${pad}}`;
  }
}

/**
 * `JSON.stringify(value, null, 2) + '\n'` in chunks of about 64 KiB. Objects
 * and arrays down to `levels` deep are written member by member (deeper ones
 * whole, a few dozen array items at a time), so memory holds a few members at
 * a time, not the document.
 */
export function* jsonChunks(value: unknown, levels = 3): Generator<string> {
  let buffer = '';
  for (const piece of pieces(value, 0, levels)) {
    buffer += piece;
    if (buffer.length >= CHUNK_CHARS) {
      yield jsonSafe(buffer);
      buffer = '';
    }
  }
  yield `${jsonSafe(buffer)}\n`;
}
