import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { resolveCompose } from '../../../../src/checkers/compose/resolve.js';

import { errorOf, fixture, resolveFixture, service } from './helpers.js';

describe('src/checkers/compose/resolve extends', () => {
  it('extends a service in another file, resolving its relative paths from that file (compose-spec 05-services.md "extends")', () => {
    const app = service(resolveFixture('extends'), 'app');

    expect(app.read_only).toBe(true);
    expect(app.cap_drop).toEqual(['ALL']);
    expect(app.cap_add).toEqual(['CHOWN']);
    expect(app.security_opt).toEqual(['no-new-privileges:true']);
    expect(app.volumes?.[0]).toMatchObject({ type: 'bind', source: fixture('extends', 'common', 'conf'), target: '/etc/app', read_only: true });
    expect(app.environment).toEqual({ FROM_BASE: '1' });
    expect(app.raw.extends).toBeUndefined();
  });

  it('follows chains in the same file (string and mapping forms)', () => {
    const p = resolveFixture('extends');

    expect(service(p, 'worker')).toMatchObject({ image: 'app:1', command: ['work'], read_only: true });
    expect(service(p, 'local')).toMatchObject({ image: 'app:1', command: ['work'], user: '1000', cap_drop: ['ALL'] });
  });

  it('locates inherited values in the extended file and local ones in the extending file', () => {
    const p = resolveFixture('extends');

    expect(p.locate('services.app.read_only')).toEqual({ file: fixture('extends', 'common', 'base.yaml'), line: 3, column: 5 });
    expect(p.locate('services.app.cap_drop.0')).toEqual({ file: fixture('extends', 'common', 'base.yaml'), line: 8, column: 16 });
    expect(p.locate('services.app.cap_add.0')).toEqual({ file: fixture('extends', 'compose.yaml'), line: 8, column: 9 });
    expect(p.locate('services.local.user')).toEqual({ file: fixture('extends', 'compose.yaml'), line: 15, column: 5 });
    expect(p.filesRead).toContain(fixture('extends', 'common', 'base.yaml'));
  });

  it('refuses a cycle, naming the chain', () => {
    const err = errorOf(() => resolveFixture('extends-cycle'));

    expect(err.message).toContain('extends cycle: a -> b -> c -> a');
    expect(err).toMatchObject({ file: fixture('extends-cycle', 'compose.yaml'), line: 4, field: 'services.a.extends' });
  });

  it('refuses an unknown service', () => {
    const err = errorOf(() => resolveFixture('extends-unknown'));

    expect(err.message).toContain('extends unknown service "nope"');
    expect(err).toMatchObject({ line: 4, field: 'services.a.extends.service' });
  });
});

describe('src/checkers/compose/resolve include', () => {
  it('imports services with their own project directory and .env (compose-spec 14-include.md "Short syntax")', () => {
    const db = service(resolveFixture('include'), 'db');

    expect(db.image).toBe('postgres:16');
    expect(db.volumes?.[0]?.source).toBe(fixture('include', 'db', 'data'));
  });

  it('uses env_file of the long syntax (compose-spec 14-include.md "Long syntax" env_file)', () => {
    expect(service(resolveFixture('include'), 'cache').image).toBe('redis:7');
  });

  it('lets the including project environment win over the included .env', () => {
    expect(service(resolveFixture('include', { env: { PG_VERSION: '17' } }), 'db').image).toBe('postgres:17');
  });

  it('locates included values in the included file', () => {
    const p = resolveFixture('include');

    expect(p.locate('services.db.privileged')).toEqual({ file: fixture('include', 'db', 'compose.yaml'), line: 6, column: 5 });
    expect(p.locate('services.web.image')).toEqual({ file: fixture('include', 'compose.yaml'), line: 7, column: 5 });
  });

  it('a missing required variable in an included file names that file and line (compose-spec 14-include.md, 12-interpolation.md)', () => {
    const err = errorOf(() => resolveFixture('include', { env: { REDIS_VERSION: '' } }));

    expect(err.message).toContain('required variable REDIS_VERSION is missing a value: set REDIS_VERSION');
    expect(err).toMatchObject({ file: fixture('include', 'db', 'cache.yaml'), line: 3, field: 'services.cache.image' });
  });

  it('refuses an include cycle', () => {
    const err = errorOf(() => resolveFixture('include-cycle'));

    expect(err.message).toMatch(/include cycle: .*b\.yaml -> .*compose\.yaml/);
    expect(err).toMatchObject({ file: fixture('include-cycle', 'compose.yaml'), line: 2, field: 'include.0' });
  });
});

describe('src/checkers/compose/resolve profiles', () => {
  const names = (profiles?: string[]) => resolveFixture('profiles', { profiles }).services.map((s) => s.name);

  it('services without profiles are always on (compose-spec 15-profiles.md "Illustrative example")', () => {
    expect(names()).toEqual(['foo']);
    expect(names(['test'])).toEqual(['bar', 'baz', 'foo']);
    expect(names(['debug', 'test'])).toEqual(['bar', 'baz', 'foo', 'zot']);
    expect(names(['*'])).toEqual(['bar', 'baz', 'foo', 'zot']);
  });

  it('refuses a service that depends on one no active profile enables (compose-spec 15-profiles.md)', () => {
    const err = errorOf(() => names(['debug']));

    expect(err).toMatchObject({ line: 13, field: 'services.zot.depends_on.bar' });
  });

  it('reads COMPOSE_PROFILES when --profile is not given', () => {
    expect(resolveFixture('profiles', { env: { COMPOSE_PROFILES: 'test' } }).services.map((s) => s.name)).toEqual(['bar', 'baz', 'foo']);
  });
});

describe('src/checkers/compose/resolve extends, scenarios of compose-go loader/extends_test.go', () => {
  it('a base in sub/compose.yaml with build context ".." resolves from sub/, through a chain in that file (TestLoadExtendsSameFile)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'palisade-extends-'));
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'compose.yaml'), 'services:\n  base:\n    build:\n      context: ..\n  service:\n    extends: base\n    build:\n      target: target\n');
    writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  out-base:\n    extends:\n      file: sub/compose.yaml\n      service: base\n  out-service:\n    extends:\n      file: sub/compose.yaml\n      service: service\n');

    const p = resolveCompose({ cwd: dir, env: {} });

    expect(service(p, 'out-base').build).toEqual({ context: realpathSync(dir), dockerfile: 'Dockerfile' });
    expect(service(p, 'out-service').build).toEqual({ context: realpathSync(dir), target: 'target', dockerfile: 'Dockerfile' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('the same port from the extended service and a second -f file stays one port (TestExtendsPortOverride)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'palisade-extends-'));
    writeFileSync(path.join(dir, 'ports.yaml'), 'services:\n  test:\n    image: test\n    ports:\n      - 8080:8080\n');
    writeFileSync(path.join(dir, 'override.yaml'), 'name: test-extends-port\nservices:\n  test:\n    extends:\n      file: ports.yaml\n      service: test\n');

    const p = resolveCompose({ cwd: dir, files: ['ports.yaml', 'override.yaml'], env: {} });

    expect(service(p, 'test').ports).toEqual([{ mode: 'ingress', target: 8080, published: '8080', protocol: 'tcp' }]);
    expect(p.name).toBe('test-extends-port');
    rmSync(dir, { recursive: true, force: true });
  });
});
