import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { resolveCompose } from '../../../../src/checkers/compose/resolve.js';
import { ComposeError } from '../../../../src/checkers/compose/errors.js';
import { PolicyError } from '../../../../src/errors.js';
import { errorOf, fixture, resolveFixture } from './helpers.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'palisade-compose-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function bad(file: string, env: Record<string, string> = {}) {
  return errorOf(() => resolveFixture('bad', { files: [file], env }));
}

describe('src/checkers/compose/resolve bad input', () => {
  it('is a ComposeError, a PolicyError the CLI maps to exit 2', () => {
    const err = bad('schema.yaml');

    expect(err).toBeInstanceOf(ComposeError);
    expect(err).toBeInstanceOf(PolicyError);
  });

  it('invalid YAML names file:line:column', () => {
    const err = bad('invalid-yaml.yaml');

    expect(err).toMatchObject({ file: fixture('bad', 'invalid-yaml.yaml'), line: 4 });
    expect(err.message).toMatch(/invalid-yaml\.yaml:4:\d+: invalid YAML/);
  });

  it('a schema violation names the field and its line', () => {
    const err = bad('unknown-field.yaml');

    expect(err).toMatchObject({ line: 4, column: 5, field: 'services.web.privilegd' });
    expect(err.message).toContain('unknown field "privilegd"');
  });

  it('a value of the wrong type names the field', () => {
    expect(bad('schema.yaml')).toMatchObject({ line: 4, field: 'services.web.privileged' });
  });

  it('a wrong type in a nested field is found by the JSON Schema (compose-spec schema)', () => {
    const f = path.join(tmp, 'nested.yaml');
    writeFileSync(f, 'services:\n  web:\n    image: nginx\n    deploy:\n      resources:\n        limits:\n          pids: [1]\n');

    const err = errorOf(() => resolveCompose({ cwd: tmp, files: [f], env: {} }));

    expect(err).toMatchObject({ line: 7, field: 'services.web.deploy.resources.limits.pids' });
  });

  it('a missing required variable names the variable and the message, never another value', () => {
    const err = bad('missing-var.yaml', { SECRET_TOKEN: 's3cr3t-value' });

    expect(err).toMatchObject({ line: 3, field: 'services.web.image' });
    expect(err.message).toContain('required variable TAG is missing a value: TAG must name the release');
    expect(err.message).not.toContain('s3cr3t-value');
  });

  it('an invalid interpolation is named with a hint to write $$', () => {
    expect(bad('bad-template.yaml').message).toMatch(/bad-template\.yaml:3:5 \(field services\.web\.image\): invalid interpolation format/);
  });

  it('a YAML alias bomb (billion laughs) is refused by the expansion limit, at the first key over it', () => {
    const err = bad('alias-bomb.yaml');

    expect(err.message).toMatch(/expands to more than 500000 nodes through YAML aliases \(alias bomb\?\)/);
    expect(err).toMatchObject({ line: 7, field: 'a6' });
  });

  it('too many alias references are refused by the alias-count limit', () => {
    const f = path.join(tmp, 'many-aliases.yaml');
    writeFileSync(f, `x-a: &a 1\nservices:\n  web:\n    image: nginx\n    x-list: [${Array(20).fill('*a').join(', ')}]\n`);

    const err = errorOf(() => resolveCompose({ cwd: tmp, files: [f], env: {} }, { maxAliasCount: 10 }));

    expect(err.message).toContain('more than 10 YAML alias references');
    expect(err).toMatchObject({ line: 5 });
  });

  it('deep nesting is refused by the depth limit, in block and flow style', () => {
    expect(bad('deep.yaml').message).toMatch(/nesting is deeper than 64 levels/);
    expect(bad('deep-flow.yaml').message).toMatch(/nesting is deeper than 64 levels/);
  });

  it('a 50 MB file is refused by the size cap before it is read', () => {
    const f = path.join(tmp, 'huge.yaml');
    const fd = openSync(f, 'w');
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);

    const err = errorOf(() => resolveCompose({ cwd: tmp, files: [f], env: {} }));

    expect(err.message).toContain('over the 10485760-byte limit');
    expect(err).toMatchObject({ file: f });
  });

  it('a directory, a FIFO or a device is not read', () => {
    mkdirSync(path.join(tmp, 'dir.yaml'));
    execFileSync('mkfifo', [path.join(tmp, 'fifo.yaml')]);

    expect(errorOf(() => resolveCompose({ cwd: tmp, files: ['dir.yaml'], env: {} })).message).toContain('is a directory');
    expect(errorOf(() => resolveCompose({ cwd: tmp, files: ['fifo.yaml'], env: {} })).message).toContain('is a FIFO');
    expect(errorOf(() => resolveCompose({ cwd: tmp, files: ['/dev/zero'], env: {} })).message).toContain('is a device');
  });

  it('an env_file that is a device is refused, naming the service field', () => {
    const f = path.join(tmp, 'envdev.yaml');
    writeFileSync(f, 'services:\n  web:\n    image: nginx\n    env_file: /dev/zero\n');

    const err = errorOf(() => resolveCompose({ cwd: '/', files: [f], env: {} }));

    expect(err.message).toContain('is a device');
    expect(err).toMatchObject({ file: f, line: 4, field: 'services.web.env_file' });
  });

  it.each([
    ['an env_file', 'services:\n  web:\n    image: nginx\n    env_file: /etc/passwd\n', 'services.web.env_file'],
    ['an extends file', 'services:\n  web:\n    extends:\n      file: ../../etc/passwd\n      service: x\n', 'services.web.extends'],
    ['an include', 'include:\n  - /etc/passwd\nservices:\n  web:\n    image: nginx\n', 'include'],
  ])('%s outside the project folder and the current folder is refused before it is read', (_what, text, field) => {
    const f = path.join(tmp, `outside-${field.replace(/\W/g, '-')}.yaml`);
    writeFileSync(f, text);

    const err = errorOf(() => resolveCompose({ cwd: tmp, files: [f], env: {} }));

    expect(err.message).toContain('is outside the project');
    expect(err).toMatchObject({ file: f });
    expect(err.field ?? '').toContain(field.split('.')[0]);
  });

  it('a symlink inside the project that leads outside it is refused', () => {
    const link = path.join(tmp, 'linked.env');
    rmSync(link, { force: true });
    symlinkSync('/etc/hostname', link);
    const f = path.join(tmp, 'envlink.yaml');
    writeFileSync(f, 'services:\n  web:\n    image: nginx\n    env_file: ./linked.env\n');

    const err = errorOf(() => resolveCompose({ cwd: tmp, files: [f], env: {} }));

    expect(err.message).toContain('is outside the project');
  });

  it('follows a symlinked extends file and records its real path', () => {
    const real = path.join(tmp, 'real-base.yaml');
    writeFileSync(real, 'services:\n  base:\n    privileged: true\n');
    symlinkSync(real, path.join(tmp, 'link-base.yaml'));
    const f = path.join(tmp, 'uses-link.yaml');
    writeFileSync(f, 'services:\n  web:\n    image: nginx\n    extends:\n      file: link-base.yaml\n      service: base\n');

    const p = resolveCompose({ cwd: tmp, files: [f], env: {} });

    expect(p.locate('services.web.privileged')).toEqual({ file: real, line: 3, column: 5 });
    expect(p.filesRead).toContain(real);
  });

  it('a missing file and a non-mapping top level are clear errors', () => {
    const list = path.join(tmp, 'list.yaml');
    writeFileSync(list, '- a\n- b\n');

    expect(errorOf(() => resolveCompose({ cwd: tmp, files: ['nope.yaml'], env: {} })).message).toMatch(/nope\.yaml cannot be read: ENOENT/);
    expect(errorOf(() => resolveCompose({ cwd: tmp, files: [list], env: {} }))).toMatchObject({ line: 1, column: 1 });
  });

  it('no Compose file in the folder or its parents is an error naming the names looked for', () => {
    const empty = mkdtempSync(path.join(tmp, 'empty-'));

    expect(errorOf(() => resolveCompose({ cwd: empty, env: {} })).message).toContain('no Compose file found (looked for compose.yaml, compose.yml');
  });
});

describe('src/checkers/compose/consistency (what docker compose config refuses after merging)', () => {
  const cases: [string, string, string, RegExp][] = [
    ['no image', 'services:\n  web:\n    user: "1000"\n', 'services.web', /neither an image nor a build context/],
    ['network_mode with networks', 'services:\n  web:\n    image: x\n    network_mode: host\n    networks: [a]\nnetworks:\n  a: {}\n', 'services.web.network_mode', /network_mode and networks/],
    ['undefined network', 'services:\n  web:\n    image: x\n    networks: [nope]\n', 'services.web.networks.nope', /undefined network "nope"/],
    ['undefined volume', 'services:\n  web:\n    image: x\n    volumes: ["data:/data"]\n', 'services.web.volumes.0', /undefined volume "data"/],
    ['undefined secret', 'services:\n  web:\n    image: x\n    secrets: [token]\n', 'services.web.secrets.0', /undefined secret "token"/],
    ['unknown service namespace (an implicit dependency, located at the pid line)', 'services:\n  web:\n    image: x\n    pid: "service:db"\n', 'services.web.depends_on.db', /depends on undefined service "db"/],
    ['healthcheck test form', 'services:\n  web:\n    image: x\n    healthcheck:\n      test: ["curl", "x"]\n', 'services.web.healthcheck.test', /must start with "CMD"/],
    ['limits set twice', 'services:\n  web:\n    image: x\n    pids_limit: 10\n    deploy:\n      resources:\n        limits:\n          pids: 20\n', 'services.web.pids_limit', /pids_limit and deploy.resources.limits.pids/],
    ['depends on an undefined service', 'services:\n  web:\n    image: x\n    depends_on: [db]\n', 'services.web.depends_on.db', /depends on undefined service "db"/],
  ];

  it.each(cases)('%s', (name, text, field, message) => {
    const f = path.join(tmp, `consistency-${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(f, text);

    const err = errorOf(() => resolveCompose({ cwd: tmp, files: [f], env: {} }));

    expect(err.message).toMatch(message);
    expect(err).toMatchObject({ file: f, field });
    expect(err.line).toBeGreaterThan(1);
  });
});
