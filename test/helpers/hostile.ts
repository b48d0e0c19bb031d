// Hostile values a target can return, and the assertions every report format
// must pass whatever it was fed: shared by the reporter tests (fixtures) and
// the integration test (a real engine).
import { SaxesParser } from 'saxes';
import type { ValidateFunction } from 'ajv';
import { expect } from 'vitest';

// Test values in the shapes of real credentials; none is a live credential.
export const SECRET = {
  github: `ghp_${'Q7w8E9r0T1'.repeat(3)}yUiOpA`,
  aws: 'AKIAIOSFODNN7EXAMPLE',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  slack: 'xoxb-210987654321-1029384756123-ZyXwVuTsRqPoNmLkJiHgFeDc',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJob3N0aWxlLXRlc3QifQ.c2lnbmF0dXJlLW9mLWEtdGVzdA',
  google: 'AIzaSyD-hostileTest0123456789abcdefghij',
  stripe: 'sk_live_hostileTest0123456789',
  pemBody: 'MIIEpAIBAAKCAQEAhostileTestKeyMaterial0123456789abcdefghijklmnopqrstuvwxyzABCD',
  urlPassword: 'correct-horse-battery',
  envPassword: 'env-hunter2-secret',
} as const;

export const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${SECRET.pemBody}\nABCDEFGHIJKLMNOPQRSTUVWXYZabcdef\n-----END RSA PRIVATE KEY-----`;

/** What must never appear in any output, in any form. */
export const SECRET_VALUES: readonly string[] = Object.values(SECRET);

export const ESC = '\u001b';

/** Text a terminal would act on, or that reorders or hides text. */
export const RAW_TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

export const HOSTILE = {
  escapes: `clear${ESC}[2J${ESC}]0;pwned\u0007${ESC}P1$r${ESC}\\\u009b31m\rFAKE: all good\bX`,
  bidi: 'invoice\u202egpj.exe\u2066iso\u2069\u200b',
  markdown: '| a | b |\n---|---\n[click](https://evil.example) ![i](https://evil.example/i.png) <img src=x onerror=alert(1)> <https://evil.example> @octocat ```fence``` $x$',
  xml: '</testcase><testcase name="forged"/><![CDATA[ ]]> &amp; &bogus; <?pi?> \u0000\u000b\ufffe',
  sarif: '{0} {{1}} [link](1) \\ ',
  long: 'L'.repeat(100_000),
} as const;

/** Labels a hostile container carries: every secret shape, and every kind of hostile text. */
export const HOSTILE_LABELS: Readonly<Record<string, string>> = {
  gh: SECRET.github,
  aws: SECRET.aws,
  ssh: PEM,
  slack: SECRET.slack,
  jwt: SECRET.jwt,
  google: SECRET.google,
  stripe: SECRET.stripe,
  aws_key: SECRET.awsSecret,
  url: `https://ci:${SECRET.urlPassword}@git.example/repo`,
  escapes: HOSTILE.escapes,
  bidi: HOSTILE.bidi,
  markdown: HOSTILE.markdown,
  // NUL cannot travel in a Docker label; the rest of the XML attack can.
  xml: HOSTILE.xml.replace('\u0000', ''),
  sarif: HOSTILE.sarif,
  long: HOSTILE.long,
};

/** What the JSON report shows for HOSTILE_LABELS: a marker per secret, the rest whole. */
export const REDACTED_LABELS: Readonly<Record<string, string>> = {
  gh: '[redacted: github-token]',
  aws: '[redacted: aws-access-key-id]',
  ssh: '[redacted: private-key]',
  slack: '[redacted: slack-token]',
  jwt: '[redacted: jwt]',
  google: '[redacted: google-api-key]',
  stripe: '[redacted: stripe-key]',
  aws_key: '[redacted: aws-secret-key]',
  url: 'https://ci:[redacted: url-password]@git.example/repo',
  escapes: HOSTILE.escapes,
  long: HOSTILE.long,
};

/** Every line of a table, progress or stderr text: nothing raw that drives a terminal, no forged line. */
export function expectTerminalSafe(text: string): void {
  expect(text).not.toMatch(RAW_TERMINAL);
  for (const line of text.split('\n')) expect(line).not.toMatch(/^FAKE/);
}

export function expectNoSecrets(text: string, secrets: readonly string[] = SECRET_VALUES): void {
  for (const secret of secrets) expect(text, `secret ${secret.slice(0, 8)}... leaked`).not.toContain(secret);
}

/** Parses with a conforming XML parser; throws on anything not well-formed. */
export function parseXml(xml: string): { elements: number; attributes: string[]; texts: string[] } {
  const parser = new SaxesParser();
  const out = { elements: 0, attributes: [] as string[], texts: [] as string[] };
  parser.on('opentag', (tag) => {
    out.elements++;
    for (const v of Object.values(tag.attributes)) out.attributes.push(String(v));
  });
  parser.on('text', (t) => out.texts.push(t));
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  return out;
}

/** Markdown tables: runs of consecutive lines starting with `|`. */
function markdownTables(markdown: string): string[][] {
  const tables: string[][] = [];
  let current: string[] = [];
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) current.push(line);
    else if (current.length > 0) {
      tables.push(current);
      current = [];
    }
  }
  if (current.length > 0) tables.push(current);
  return tables;
}

/** Pipes that end a cell: those not escaped by a backslash (which may itself be escaped). */
function cellBreaks(row: string): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') n++;
  }
  return n;
}

export interface Reports {
  table: string;
  json: string;
  sarif: string;
  markdown: string;
  junit: string;
}

/** Everything the issue asks of the formats, on reports rendered from hostile input. */
export function expectSafeReports(reports: Reports, validateSarif: ValidateFunction, secrets: readonly string[] = SECRET_VALUES): void {
  for (const [format, text] of Object.entries(reports)) {
    expect(text.length, `${format} is empty`).toBeGreaterThan(0);
    expectNoSecrets(text, secrets);
  }

  expectTerminalSafe(reports.table);
  expect(reports.table).not.toContain(HOSTILE.long);

  const json = JSON.parse(reports.json) as unknown;
  expect(json).toBeTypeOf('object');
  expect(reports.json).not.toMatch(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);

  const sarif = JSON.parse(reports.sarif) as unknown;
  const valid = validateSarif(sarif);
  expect(valid, JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);

  const xml = parseXml(reports.junit);
  expect(xml.elements).toBeGreaterThan(1);
  for (const a of xml.attributes) expect(a).not.toMatch(RAW_TERMINAL);
  expect(xml.attributes).not.toContain('forged');

  const tables = markdownTables(reports.markdown);
  expect(tables.length).toBeGreaterThan(0);
  for (const table of tables) {
    const columns = cellBreaks(table[0] ?? '');
    // Every row has as many cells as the header: no pipe or newline got through.
    for (const row of table) expect(cellBreaks(row), row.slice(0, 160)).toBe(columns);
  }
  for (const html of ['<img', '<https', '</testcase', '<testcase', '<?pi', '<![CDATA']) expect(reports.markdown).not.toContain(html);
  // With backslash escapes taken out, no `](` is left to make a link or an image.
  expect(reports.markdown.replace(/\\[\s\S]/g, '')).not.toContain('](');
  expect(reports.markdown).not.toMatch(/https?:\/\/evil/);
  expect(reports.markdown).not.toMatch(/(^|[^\u200b])@octocat/);
  // The one invisible character allowed is palisade's own zero-width space that breaks mentions and links.
  expect(reports.markdown.replace(/\u200b/g, '')).not.toMatch(RAW_TERMINAL);
}
