// The .env / env_file syntax Compose reads: KEY=VALUE lines, `export`
// prefixes, comments, single quotes (literal), double quotes (escapes and
// ${VAR} expansion, may span lines), unquoted values (expanded, ` #` starts a
// comment) and a bare KEY (taken from the environment when set there).

import { ComposeError } from './errors.js';
import { InvalidTemplateError, MissingVariableError, substitute, type Lookup } from './interpolate.js';

const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;

/**
 * Parses env-file text. `lookup` gives variables defined outside the file;
 * they win over the file's own earlier lines when expanding.
 */
export function parseEnvFile(file: string, text: string, lookup: Lookup): Map<string, string> {
  const out = new Map<string, string>();
  const expandLookup: Lookup = (k) => lookup(k) ?? out.get(k);
  let i = 0;
  let line = 1;
  const n = text.length;
  const fail = (msg: string, at = line): never => {
    throw new ComposeError(msg, { file, line: at });
  };
  const expand = (v: string, at: number): string => {
    try {
      return substitute(v, expandLookup);
    } catch (err) {
      if (err instanceof MissingVariableError) return fail(`required variable ${err.variable} is missing a value`, at);
      if (err instanceof InvalidTemplateError) return fail('invalid interpolation format; write a literal $ as $$ or \\$', at);
      throw err;
    }
  };
  while (i < n) {
    // Skip blank space and comment lines.
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const startLine = line;
    if (text.startsWith('export', i) && /[ \t]/.test(text[i + 6] ?? '')) {
      i += 6;
      while (text[i] === ' ' || text[i] === '\t') i++;
    }
    let keyEnd = i;
    while (keyEnd < n && KEY_CHAR.test(text[keyEnd]!)) keyEnd++;
    const key = text.slice(i, keyEnd);
    let j = keyEnd;
    while (text[j] === ' ' || text[j] === '\t') j++;
    const sep = text[j];
    if (key === '') fail(`unexpected character ${JSON.stringify(text[i] ?? '')} in a variable name`);
    if (sep === undefined || sep === '\n' || sep === '\r') {
      // A bare KEY: inherited from the environment when set there.
      const v = lookup(key);
      if (v !== undefined) out.set(key, v);
      i = j;
      continue;
    }
    if (sep !== '=' && sep !== ':') fail(`unexpected character ${JSON.stringify(sep)} in variable name ${JSON.stringify(key)}`);
    j++;
    while (text[j] === ' ' || text[j] === '\t') j++;
    const q = text[j];
    if (q === '"' || q === "'") {
      let k = j + 1;
      let raw = '';
      let escaped = false;
      let closed = false;
      for (; k < n; k++) {
        const ch = text[k]!;
        if (ch === '\n') line++;
        if (escaped) {
          raw += ch === q ? ch : `\\${ch}`;
          escaped = false;
          continue;
        }
        if (ch === '\\') {
          escaped = true;
          continue;
        }
        if (ch === q) {
          closed = true;
          break;
        }
        raw += ch;
      }
      if (!closed) fail(`unterminated quoted value for ${key}`, startLine);
      const value = q === '"' ? expand(unescapeDouble(raw), startLine) : raw;
      out.set(key, value);
      i = k + 1;
      // Rest of the line (a comment) is ignored.
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    let end = j;
    while (end < n && text[end] !== '\n') end++;
    let value = text.slice(j, end);
    const hash = value.indexOf(' #');
    if (hash >= 0) value = value.slice(0, hash);
    value = value.replace(/\s+$/u, '');
    out.set(key, expand(value, startLine));
    i = end;
  }
  return out;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([abfnrtv$"\\])/g, (_m, ch: string) => {
    switch (ch) {
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case '$':
        return '$$';
      default:
        return ch;
    }
  });
}
