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

function isPlainContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** The pieces of JSON.stringify(value, null, 2) (at `depth` levels of indentation), descending `levels` deep. */
function* pieces(value: unknown, depth: number, levels: number): Generator<string> {
  const pad = '  '.repeat(depth);
  if (levels <= 0 || !isPlainContainer(value)) {
    const text = JSON.stringify(value, null, 2) ?? 'null';
    yield depth === 0 ? text : text.replace(/\n/g, `\n${pad}`);
    return;
  }
  const inner = `${pad}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      yield inner;
      // JSON.stringify writes null for array holes, undefined, functions and symbols.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* pieces(item, depth + 1, levels - 1);
      yield i < value.length - 1 ? ',\n' : `\n${pad}]`;
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
 * in one piece each), so memory holds one member at a time, not the document.
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
