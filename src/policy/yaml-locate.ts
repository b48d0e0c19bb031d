// Finds the line of a JSON-pointer path in block-style YAML text, so that
// validation errors can name file:line. Good enough for hand-written config
// (block mappings and sequences); falls back to the nearest ancestor found.

interface Cursor {
  /** Index of the line holding the current node's key (or -1 for the root). */
  line: number;
  /** Indentation of that key; children are indented deeper. */
  indent: number;
  /** One past the last line of the node. */
  end: number;
}

const COMMENT_OR_BLANK = /^\s*(#.*)?$/;

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function unquote(key: string): string {
  const k = key.trim();
  if ((k.startsWith('"') && k.endsWith('"')) || (k.startsWith("'") && k.endsWith("'"))) return k.slice(1, -1);
  return k;
}

/** Key text of `key: ...` or `- key: ...` at the start of a line, if any. */
function keyAt(text: string): { key: string; indent: number } | undefined {
  let body = text.trimStart();
  let indent = indentOf(text);
  while (body.startsWith('- ')) {
    body = body.slice(2);
    indent += 2 + (body.length - body.trimStart().length);
    body = body.trimStart();
  }
  const m = /^("[^"]*"|'[^']*'|[^\s#][^:#]*?)\s*:(\s|$)/.exec(body);
  return m ? { key: unquote(m[1] ?? ''), indent } : undefined;
}

function nodeEnd(lines: string[], start: number, indent: number): number {
  for (let i = start + 1; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (COMMENT_OR_BLANK.test(text)) continue;
    const ind = indentOf(text);
    // A block sequence may sit at its key's own indentation (`key:\n- item`).
    if (ind < indent || (ind === indent && !text.trimStart().startsWith('-'))) return i;
  }
  return lines.length;
}

function findKey(lines: string[], cur: Cursor, key: string): Cursor | undefined {
  let childIndent: number | undefined;
  for (let i = cur.line + 1; i < cur.end; i++) {
    const text = lines[i] ?? '';
    if (COMMENT_OR_BLANK.test(text)) continue;
    const found = keyAt(text);
    if (!found) continue;
    if (childIndent === undefined) childIndent = found.indent;
    if (found.indent !== childIndent) continue;
    if (found.key === key) return { line: i, indent: found.indent, end: nodeEnd(lines, i, found.indent) };
  }
  return undefined;
}

function findItem(lines: string[], cur: Cursor, index: number): Cursor | undefined {
  let itemIndent: number | undefined;
  let seen = -1;
  for (let i = cur.line + 1; i < cur.end; i++) {
    const text = lines[i] ?? '';
    if (COMMENT_OR_BLANK.test(text)) continue;
    if (!text.trimStart().startsWith('-')) continue;
    const indent = indentOf(text);
    if (itemIndent === undefined) itemIndent = indent;
    if (indent !== itemIndent) continue;
    seen++;
    if (seen === index) {
      // Keys inside the item sit after the dash; the item spans until the next dash at this indent.
      let end = cur.end;
      for (let j = i + 1; j < cur.end; j++) {
        const t = lines[j] ?? '';
        if (COMMENT_OR_BLANK.test(t)) continue;
        if (indentOf(t) <= indent) {
          end = j;
          break;
        }
      }
      return { line: i - 1, indent, end };
    }
  }
  return undefined;
}

/** Splits a JSON pointer (`/checks/docker~1no-privileged/severity`) into segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** 1-based line of the deepest segment of `pointer` found in `text`; 1 when nothing matches. */
export function locateLine(text: string, pointer: string): number {
  const lines = text.split(/\r?\n/);
  let cur: Cursor = { line: -1, indent: -1, end: lines.length };
  let best = -1;
  for (const segment of pointerSegments(pointer)) {
    const next = /^\d+$/.test(segment) ? findItem(lines, cur, Number(segment)) : findKey(lines, cur, segment);
    if (!next) break;
    cur = next;
    // findItem points one line above the dash so that keys on the dash line are searched; report the dash line.
    best = /^\d+$/.test(segment) ? next.line + 1 : next.line;
  }
  return best >= 0 ? best + 1 : 1;
}
