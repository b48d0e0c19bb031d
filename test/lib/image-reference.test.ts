import { describe, expect, it } from 'vitest';

import {
  formatImageReference,
  parseImageReference,
  registryEntryCovers,
  type ImageName,
} from '../../src/lib/image-reference.js';

const SHA256 = `sha256:${'a'.repeat(64)}`;

function name(ref: string): ImageName {
  const parsed = parseImageReference(ref);
  if (parsed?.kind !== 'name') throw new Error(`expected ${ref} to parse as a name`);
  return parsed;
}

describe('src/lib/image-reference', () => {
  it.each([
    ['nginx', { registry: 'docker.io', path: 'library/nginx', tag: undefined, digest: undefined }],
    ['nginx:1.27', { registry: 'docker.io', path: 'library/nginx', tag: '1.27', digest: undefined }],
    ['nginx:latest', { registry: 'docker.io', path: 'library/nginx', tag: 'latest', digest: undefined }],
    [`nginx@${SHA256}`, { registry: 'docker.io', path: 'library/nginx', tag: undefined, digest: SHA256 }],
    [`nginx:1.27@${SHA256}`, { registry: 'docker.io', path: 'library/nginx', tag: '1.27', digest: SHA256 }],
    ['bitnami/redis:7.4', { registry: 'docker.io', path: 'bitnami/redis', tag: '7.4', digest: undefined }],
    ['docker.io/nginx', { registry: 'docker.io', path: 'library/nginx', tag: undefined, digest: undefined }],
    ['index.docker.io/nginx', { registry: 'docker.io', path: 'library/nginx', tag: undefined, digest: undefined }],
    ['docker.io/library/nginx', { registry: 'docker.io', path: 'library/nginx', tag: undefined, digest: undefined }],
    ['ghcr.io/acme/app:v1', { registry: 'ghcr.io', path: 'acme/app', tag: 'v1', digest: undefined }],
    ['ghcr.io/app', { registry: 'ghcr.io', path: 'app', tag: undefined, digest: undefined }],
    ['localhost/app', { registry: 'localhost', path: 'app', tag: undefined, digest: undefined }],
    ['localhost:5000/team/app:dev', { registry: 'localhost:5000', path: 'team/app', tag: 'dev', digest: undefined }],
    ['registry:5000/app', { registry: 'registry:5000', path: 'app', tag: undefined, digest: undefined }],
    ['[::1]:5000/app:1', { registry: '[::1]:5000', path: 'app', tag: '1', digest: undefined }],
    ['Registry.Example.com/app', { registry: 'registry.example.com', path: 'app', tag: undefined, digest: undefined }],
    ['MyRegistry/app', { registry: 'myregistry', path: 'app', tag: undefined, digest: undefined }],
    ['localhost:5000', { registry: 'docker.io', path: 'library/localhost', tag: '5000', digest: undefined }],
    ['a/b/c/d:e_f-g.h', { registry: 'docker.io', path: 'a/b/c/d', tag: 'e_f-g.h', digest: undefined }],
    ['my__app/x--y.z', { registry: 'docker.io', path: 'my__app/x--y.z', tag: undefined, digest: undefined }],
  ])('parses %s', (ref, expected) => {
    const parsed = parseImageReference(ref);

    expect(parsed).toEqual({ kind: 'name', repository: `${expected.registry}/${expected.path}`, ...stripUndefined(expected) });
  });

  it.each([
    'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    '1111111111111111111111111111111111111111111111111111111111111111',
    'sha256:0123456789ab',
    '0123456789ab',
  ])('recognises %s as an image ID', (ref) => {
    const parsed = parseImageReference(ref);

    expect(parsed).toEqual({ kind: 'id', id: ref });
  });

  it.each([
    '',
    'Nginx',
    'team/App',
    'nginx:',
    'nginx:-tag',
    `nginx:${'t'.repeat(129)}`,
    'nginx@sha256:abc',
    `nginx@sha256:${'A'.repeat(64)}`,
    `nginx@md5:${'a'.repeat(32)}`,
    `nginx@sha512:${'a'.repeat(64)}`,
    '/nginx',
    'nginx/',
    'a//b',
    '-nginx',
    'nginx_',
    'nginx:1 2',
    '-bad.example.com/app',
    `registry.example.com/${'a'.repeat(240)}`,
  ])('rejects %j', (ref) => {
    const parsed = parseImageReference(ref);

    expect(parsed).toBeUndefined();
  });

  it('accepts sha512 digests', () => {
    const digest = `sha512:${'b'.repeat(128)}`;

    const parsed = parseImageReference(`ghcr.io/acme/app@${digest}`);

    expect(parsed).toMatchObject({ kind: 'name', digest });
  });

  it.each([
    ['nginx', 'docker.io/library/nginx'],
    [`nginx:1.27@${SHA256}`, `docker.io/library/nginx:1.27@${SHA256}`],
    ['ghcr.io/acme/app:v1', 'ghcr.io/acme/app:v1'],
    ['0123456789ab', '0123456789ab'],
  ])('formats %s canonically', (ref, expected) => {
    const parsed = parseImageReference(ref);

    expect(parsed && formatImageReference(parsed)).toBe(expected);
  });

  it.each([
    ['docker.io', 'nginx', true],
    ['docker.io', 'bitnami/redis', true],
    ['index.docker.io', 'nginx', true],
    ['docker.io/library', 'nginx', true],
    ['docker.io/library', 'bitnami/redis', false],
    ['docker.io/bitnami', 'bitnami/redis', true],
    ['docker.io/nginx', 'nginx', false],
    ['ghcr.io', 'ghcr.io/acme/app', true],
    ['GHCR.io', 'ghcr.io/acme/app', true],
    ['ghcr.io/acme', 'ghcr.io/acme/app', true],
    ['ghcr.io/acme/', 'ghcr.io/acme/app', true],
    ['ghcr.io/acme/app', 'ghcr.io/acme/app:v1', true],
    ['ghcr.io/acme', 'ghcr.io/acme-evil/app', false],
    ['ghcr.io/acme/app', 'ghcr.io/acme/application', false],
    ['ghcr.io', 'ghcr.io.evil.com/app', false],
    ['ghcr.io', 'nginx', false],
    ['localhost:5000', 'localhost:5000/app', true],
    ['localhost', 'localhost:5000/app', false],
    ['', 'nginx', false],
  ])('entry %j covers %s: %s', (entry, ref, expected) => {
    const parsed = name(ref);

    const covered = registryEntryCovers(entry, parsed);

    expect(covered).toBe(expected);
  });
});

function stripUndefined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
}
