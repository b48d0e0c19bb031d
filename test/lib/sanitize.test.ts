import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';

import {
  escapeControls,
  hasUnsafeCharacters,
  jsonSafe,
  markdownText,
  sarifText,
  terminalText,
  truncate,
  visibleEscape,
  xmlAttribute,
  xmlText,
} from '../../src/lib/sanitize.js';

const ESC = '\u001b';

/** Raw characters that must never reach a terminal from target data. */
const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

function parseXml(xml: string): { text: string; attributes: Record<string, string> } {
  const parser = new SaxesParser();
  let text = '';
  let attributes: Record<string, string> = {};
  parser.on('text', (t) => (text += t));
  parser.on('opentag', (tag) => {
    if (tag.name === 'a') attributes = Object.fromEntries(Object.entries(tag.attributes).map(([k, v]) => [k, String(v)]));
  });
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  return { text, attributes };
}

describe('src/lib/sanitize escapeControls', () => {
  it.each([
    ['ESC of a CSI sequence', `a${ESC}[2Jb`, 'a\\x1b[2Jb'],
    ['an OSC title sequence ended by BEL', `${ESC}]0;pwned\u0007`, '\\x1b]0;pwned\\x07'],
    ['an OSC sequence ended by ST', `${ESC}]8;;http://x${ESC}\\`, '\\x1b]8;;http://x\\x1b\\'],
    ['a DCS sequence', `${ESC}P1$r${ESC}\\`, '\\x1bP1$r\\x1b\\'],
    ['backspace', 'ab\bc', 'ab\\x08c'],
    ['carriage return', 'ok\rFAKE', 'ok\\rFAKE'],
    ['newline', 'a\nFAKE: all good', 'a\\nFAKE: all good'],
    ['tab', 'a\tb', 'a\\tb'],
    ['NUL', 'a\u0000b', 'a\\x00b'],
    ['DEL', 'a\u007fb', 'a\\x7fb'],
    ['8-bit CSI (C1)', 'a\u009b2Jb', 'a\\x9b2Jb'],
    ['8-bit OSC (C1)', '\u009d0;x\u009c', '\\x9d0;x\\x9c'],
    ['right-to-left override', 'user\u202eexe.txt', 'user\\u202eexe.txt'],
    ['left-to-right embedding', 'a\u202ab', 'a\\u202ab'],
    ['pop directional formatting', 'a\u202cb', 'a\\u202cb'],
    ['first strong isolate', 'a\u2068b\u2069', 'a\\u2068b\\u2069'],
    ['left-to-right isolate', 'a\u2066b', 'a\\u2066b'],
    ['right-to-left mark', 'a\u200fb', 'a\\u200fb'],
    ['zero-width space', 'ad\u200bmin', 'ad\\u200bmin'],
    ['zero-width joiner', 'a\u200db', 'a\\u200db'],
    ['word joiner', 'a\u2060b', 'a\\u2060b'],
    ['byte order mark', '\ufeffa', '\\ufeffa'],
    ['soft hyphen', 'ad\u00admin', 'ad\\xadmin'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
    ['paragraph separator', 'a\u2029b', 'a\\u2029b'],
    ['a Unicode tag character', 'a\u{e0041}b', 'a\\u{e0041}b'],
    ['a lone high surrogate', 'a\ud83db', 'a\\ud83db'],
    ['a lone low surrogate', 'a\ude00b', 'a\\ude00b'],
  ])('shows %s as a visible escape', (_name, input, expected) => {
    const shown = escapeControls(input);

    expect(shown).toBe(expected);
    expect(shown).not.toMatch(RAW_UNSAFE);
  });

  it.each([
    ['plain ASCII', 'shop-web-1'],
    ['accented letters', 'café-müller'],
    ['CJK', '東京-db'],
    ['an emoji (surrogate pair)', 'web-\u{1f600}'],
    ['a backslash', 'C:\\path'],
  ])('leaves %s as it is', (_name, input) => {
    expect(escapeControls(input)).toBe(input);
  });

  it('keeps newlines and tabs when asked to', () => {
    expect(escapeControls(`a\nb\tc${ESC}`, { newline: true, tab: true })).toBe('a\nb\tc\\x1b');
  });

  it.each([
    ['\u001b', '\\x1b'],
    ['\u00ad', '\\xad'],
    ['\u202e', '\\u202e'],
    ['\u{e0001}', '\\u{e0001}'],
  ])('writes %j as %s', (char, expected) => {
    expect(visibleEscape(char)).toBe(expected);
  });

  it.each([
    ['plain text', 'hello', false],
    ['ESC', `a${ESC}`, true],
    ['bidi override', 'a\u202e', true],
  ])('tells whether %s needs escaping', (_name, input, expected) => {
    expect(hasUnsafeCharacters(input)).toBe(expected);
    expect(hasUnsafeCharacters(input)).toBe(expected);
  });
});

describe('src/lib/sanitize truncate', () => {
  it.each([
    ['a short value', 'abc', 10, 'abc'],
    ['a value of exactly the limit', 'a'.repeat(10), 10, 'a'.repeat(10)],
    ['a long value', 'a'.repeat(100), 20, `${'a'.repeat(8)}…(+92 chars)`],
    ['a 100 KB value', 'b'.repeat(100_000), 40, `${'b'.repeat(25)}…(+99975 chars)`],
    ['no limit', 'c'.repeat(50), Number.POSITIVE_INFINITY, 'c'.repeat(50)],
  ])('cuts %s with a marker that says how much is hidden', (_name, input, max, expected) => {
    const out = truncate(input, max);

    expect(out).toBe(expected);
    if (Number.isFinite(max)) expect(Array.from(out).length).toBeLessThanOrEqual(max);
  });

  it('never splits a surrogate pair', () => {
    const out = truncate('\u{1f600}'.repeat(40), 20);

    expect(out).toMatch(/^(\u{1f600})+…\(\+\d+ chars\)$/u);
  });

  it('cuts in terminal text after escaping, so an escape is never cut in half', () => {
    const out = terminalText(`${ESC.repeat(10)}`, 20);

    expect(out).not.toMatch(RAW_UNSAFE);
    expect(out).toMatch(/^(\\x1b)*\\?x?1?…\(\+\d+ chars\)$/);
  });
});

describe('src/lib/sanitize markdownText', () => {
  it.each([
    ['a table pipe', 'a|b', 'a\\|b'],
    ['a newline', 'a\nb', 'a b'],
    ['an inline link', '[click](https://evil.example)', '\\[click\\](https:\u200b//evil.example)'],
    ['an image', '![x](https://evil.example/p.png)', '!\\[x\\](https:\u200b//evil.example/p.png)'],
    ['HTML', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['an autolink', '<https://evil.example>', '&lt;https:\u200b//evil.example&gt;'],
    ['a bare URL', 'go to https://evil.example now', 'go to https:\u200b//evil.example now'],
    ['a www link', 'www.evil.example', 'www\u200b.evil.example'],
    ['a mention', 'ping @octocat', 'ping @\u200boctocat'],
    ['an e-mail address', 'me@example.com', 'me@\u200bexample.com'],
    ['a code fence', '```js\nalert(1)\n```', '\\`\\`\\`js alert(1) \\`\\`\\`'],
    ['emphasis', '*bold* _it_ ~~del~~', '\\*bold\\* \\_it\\_ \\~\\~del\\~\\~'],
    ['math', '$x^2$', '\\$x^2\\$'],
    ['an entity', '&lt;', '&amp;lt;'],
    ['a backslash before a pipe', '\\|', '\\\\\\|'],
    ['an escape sequence', `a${ESC}[31mb`, 'a\\\\x1b\\[31mb'],
    ['a bidi override', 'ab\u202ecd', 'ab\\\\u202ecd'],
  ])('neutralises %s', (_name, input, expected) => {
    expect(markdownText(input)).toBe(expected);
  });

  it('cuts long values with a marker before escaping, so no escape is cut in half', () => {
    const out = markdownText('|'.repeat(100), 30);

    expect(out).toBe(`${'\\|'.repeat(18)}…(+82 chars)`);
  });
});

describe('src/lib/sanitize XML', () => {
  it.each([
    ['markup', '<script>alert("x")</script> & \'q\''],
    ['a CDATA end', ']]>'],
    ['NUL and ESC', `a\u0000b${ESC}[2J`],
    ['vertical tab and form feed', 'a\u000bb\u000c'],
    ['U+FFFE and U+FFFF', 'a\ufffeb\uffff'],
    ['lone surrogates', 'a\ud800b\udc00'],
    ['C1 controls', 'a\u0085b\u009b'],
    ['bidi overrides', 'a\u202eb\u2066'],
    ['newlines, tabs and a carriage return', 'a\nb\tc\rd'],
    ['an emoji', 'web-\u{1f600}'],
  ])('keeps %s well-formed as text and attribute', (_name, input) => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><a v="${xmlAttribute(input)}">${xmlText(input)}</a>`;

    const parsed = parseXml(xml);

    expect(parsed.attributes['v']).not.toMatch(RAW_UNSAFE);
    expect(parsed.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('keeps newlines and tabs in text and shows them as escapes in attributes', () => {
    const parsed = parseXml(`<a v="${xmlAttribute('x\ny\tz')}">${xmlText('x\ny\tz')}</a>`);

    expect(parsed.text).toBe('x\ny\tz');
    expect(parsed.attributes['v']).toBe('x\\ny\\tz');
  });

  it('cuts long text and attributes with a marker', () => {
    const parsed = parseXml(`<a v="${xmlAttribute('&'.repeat(100), 20)}">${xmlText('<'.repeat(100), 20)}</a>`);

    expect(parsed.attributes['v']).toBe(`${'&'.repeat(8)}…(+92 chars)`);
    expect(parsed.text).toBe(`${'<'.repeat(8)}…(+92 chars)`);
  });
});

describe('src/lib/sanitize JSON and SARIF', () => {
  it.each([
    ['C1 controls', 'a\u009bb\u0085'],
    ['bidi and format characters', 'a\u202eb\u2066c\u200bd\ufeff'],
    ['line separators', 'a\u2028b\u2029'],
    ['DEL', 'a\u007f'],
    ['ESC and NUL', `a${ESC}\u0000`],
    ['a tag character', 'a\u{e0041}'],
  ])('writes %s as \\u escapes: same data, nothing raw', (_name, input) => {
    const text = jsonSafe(JSON.stringify({ value: input }));

    expect(text).not.toMatch(RAW_UNSAFE);
    expect((JSON.parse(text) as { value: string }).value).toBe(input);
  });

  it.each([
    ['placeholders', 'a {0} b {{', 'a {{0}} b {{{{'],
    ['an embedded link', '[here](1)', '\\[here\\](1)'],
    ['an escape sequence', `x${ESC}[2J`, 'x\\x1b\\[2J'],
  ])('neutralises %s in a SARIF message', (_name, input, expected) => {
    expect(sarifText(input)).toBe(expected);
  });
});

describe('src/lib/sanitize fast paths', () => {
  // The helpers answer plain text without their replaces; these are the replaces
  // alone (what they did before), and the helpers must agree with them on any text.
  const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/gu;
  const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  const visible = (c: string): string => NAMED[c] ?? visibleEscape(c);
  const controls = (v: string, keep: string[] = []): string => v.replace(UNSAFE, (c) => (keep.includes(c) ? c : visible(c)));
  const reference = {
    escapeControls: (v: string): string => controls(v),
    escapeControlsKeepingLines: (v: string): string => controls(v, ['\n', '\t']),
    xmlText: (v: string): string => controls(v, ['\n', '\t']).replace(NOT_XML, visible).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    xmlAttribute: (v: string): string =>
      controls(v).replace(NOT_XML, visible).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
    jsonSafe: (v: string): string =>
      v.replace(/[\u007f-\u009f\u2028\u2029\p{Cf}]/gu, (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')),
    sarifText: (v: string): string => controls(v).replace(/[{}]/g, '$&$&').replace(/[[\]]/g, '\\$&'),
  };
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: fc.constantFrom(...'aZ09 -_./:{}[]&<>"\'\t\n\r\u0000\u001b\u007f\u0085\u009b\u00a0\u00ad\u00e9\u2028\u2029\u202e\u200b\ufeff\ufffe\uffff\ud800\udc00'), maxLength: 60 }),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  );

  it('agree with the replaces they skip, on any text', () => {
    fc.assert(
      fc.property(text, (v) => {
        expect(escapeControls(v)).toBe(reference.escapeControls(v));
        expect(escapeControls(v, { newline: true, tab: true })).toBe(reference.escapeControlsKeepingLines(v));
        expect(xmlText(v)).toBe(reference.xmlText(v));
        expect(xmlAttribute(v)).toBe(reference.xmlAttribute(v));
        expect(sarifText(v)).toBe(reference.sarifText(v));
        expect(jsonSafe(v)).toBe(reference.jsonSafe(v));
        expect(jsonSafe(JSON.stringify({ v }))).toBe(reference.jsonSafe(JSON.stringify({ v })));
      }),
      { numRuns: 2_000 },
    );
  });
});
