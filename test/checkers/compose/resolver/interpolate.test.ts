import { describe, expect, it } from 'vitest';

import { substitute, MissingVariableError, InvalidTemplateError } from '../../../../src/checkers/compose/interpolate.js';
import { parseEnvFile } from '../../../../src/checkers/compose/envfile.js';
import { errorOf, fixture, resolveFixture, service } from './helpers.js';

const vars: Record<string, string> = { SET: 'value', EMPTY: '', FOO: 'foo' };
const lookup = (k: string): string | undefined => vars[k];

describe('src/checkers/compose/interpolate substitute', () => {
  it.each([
    ['${SET}', 'value', 'braced'],
    ['$SET', 'value', 'unbraced'],
    ['$SET/x', 'value/x', 'unbraced name ends at a non-name character'],
    ['${UNSET}', '', 'unset is blank'],
    ['${UNSET:-default}', 'default', ':- unset'],
    ['${EMPTY:-default}', 'default', ':- empty'],
    ['${EMPTY-default}', '', '- empty keeps empty'],
    ['${UNSET-default}', 'default', '- unset'],
    ['${SET:+alt}', 'alt', ':+ set'],
    ['${EMPTY:+alt}', '', ':+ empty'],
    ['${EMPTY+alt}', 'alt', '+ empty counts as set'],
    ['${UNSET+alt}', '', '+ unset'],
    ['${UNSET:-${FOO}}', 'foo', 'nested ${VARIABLE:-${FOO}}'],
    ['${UNSET:-${ALSO_UNSET:-default}}', 'default', 'nested ${VARIABLE:-${FOO:-default}}'],
    ['$$SET', '$SET', '$$ escapes'],
    ['$$$SET', '$value', '$$ then a variable'],
    ['cost: $5', 'cost: $5', 'a $ not followed by a name stays'],
    ['${SET}-${FOO}', 'value-foo', 'two variables'],
  ])('%s -> %s (compose-spec 12-interpolation.md: %s)', (template, expected) => {
    expect(substitute(template, lookup)).toBe(expected);
  });

  it.each([
    ['${UNSET:?needed}', 'needed'],
    ['${EMPTY:?needed}', 'needed'],
    ['${UNSET?needed}', 'needed'],
    ['${UNSET?$FOO}', 'foo'],
  ])('%s fails naming the variable and its message (compose-spec 12-interpolation.md mandatory variables)', (template, reason) => {
    const err = errorOf(() => substitute(template, lookup));

    expect(err).toBeInstanceOf(MissingVariableError);
    expect((err as MissingVariableError).reason).toBe(reason);
  });

  it('keeps ${EMPTY?x} empty because the variable is set (compose-spec 12-interpolation.md)', () => {
    expect(substitute('${EMPTY?x}', lookup)).toBe('');
  });

  it.each(['${', '${SET', '${1X}', '${SET/foo/bar}'])('refuses %s as an invalid template (compose-spec 12-interpolation.md unsupported shell features)', (t) => {
    expect(errorOf(() => substitute(t, lookup))).toBeInstanceOf(InvalidTemplateError);
  });
});

describe('src/checkers/compose/envfile parseEnvFile', () => {
  it('reads export, comments, quotes, inline comments, multi-line values and expansion', () => {
    const text = '# c\nexport A=1\nB="x\\ny ${A}"\nC=\'lit $A\'\nD=plain # note\nE="multi\nline"\nF\nG: colon\n';

    const env = parseEnvFile('/x/.env', text, (k) => (k === 'F' ? 'inherited' : undefined));

    expect(Object.fromEntries(env)).toEqual({ A: '1', B: 'x\ny 1', C: 'lit $A', D: 'plain', E: 'multi\nline', F: 'inherited', G: 'colon' });
  });

  it('fails on an unterminated quote with the line', () => {
    const err = errorOf(() => parseEnvFile('/x/.env', 'A=1\nB="open\n', () => undefined));

    expect(err.message).toMatch(/^\/x\/\.env:2: unterminated quoted value for B/);
  });
});

describe('src/checkers/compose/resolve interpolation and environment', () => {
  it('interpolates from the process environment first, then .env (compose-spec 12-interpolation.md)', () => {
    const p = resolveFixture('env', { env: { TAG: 'from-process' } });
    const app = service(p, 'app');

    expect(app.image).toBe('registry.example/app:from-process');
    expect(p.name).toBe('envdemo');
  });

  it('resolves every operator against .env values', () => {
    const app = service(resolveFixture('env'), 'app');

    expect(app.environment).toMatchObject({
      FROM_ENV: 'dotenv',
      LITERAL: '$HOME',
      ALT: 'alt',
      ALT_UNSET: '',
      EMPTY_DASH: '',
      EMPTY_COLON: 'dflt',
      NESTED: 'set',
      PLAIN: 'set/tail',
    });
  });

  it('merges env_file values under environment, skips a missing file marked required: false (compose-spec 05-services.md env_file)', () => {
    const app = service(resolveFixture('env'), 'app');

    expect(app.environment).toMatchObject({
      EXPORTED: 'yes',
      SINGLE: 'single $NOT expanded',
      DOUBLE: 'line1\nline2 set',
      UNQUOTED: 'plain value',
      MULTI: 'a\nb',
      OVERRIDDEN: 'from-compose',
      INHERITED: null,
    });
    expect(app.env_file?.[1]).toEqual({ path: fixture('env', 'missing.env'), required: false });
  });

  it('takes a bare environment name from the environment when set there', () => {
    const app = service(resolveFixture('env', { env: { INHERITED: 'from-process' } }), 'app');

    expect(app.environment?.INHERITED).toBe('from-process');
  });

  it('--env-file replaces .env', () => {
    const app = service(resolveFixture('env', { envFiles: ['custom.env'] }), 'app');

    expect(app.image).toBe('registry.example/app:from-custom');
    expect(app.environment?.NESTED).toBe('custom');
  });

  it('project name: --project-name, then COMPOSE_PROJECT_NAME, then name:, then the folder (compose-spec 04-version-and-name.md)', () => {
    expect(resolveFixture('env', { projectName: 'explicit' }).name).toBe('explicit');
    expect(resolveFixture('env', { env: { COMPOSE_PROJECT_NAME: 'From_Env' } }).name).toBe('from_env');
    expect(resolveFixture('env', { env: { PROJECT: 'Named.By.Var' } }).name).toBe('namedbyvar');
    expect(resolveFixture('merge', { files: ['compose.yaml'] }).name).toBe('merge');
    expect(errorOf(() => resolveFixture('env', { projectName: 'Bad Name' })).message).toMatch(/invalid project name/);
  });

  it('resolves ${VAR:?msg} once the variable is set', () => {
    const p = resolveFixture('bad', { files: ['missing-var.yaml'], env: { TAG: '1.0' } });

    expect(service(p, 'web').image).toBe('nginx:1.0');
  });
});
