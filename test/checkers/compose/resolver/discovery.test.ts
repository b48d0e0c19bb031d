import { describe, expect, it } from 'vitest';

import { fixture, resolveFixture, service } from './helpers.js';

describe('src/checkers/compose/resolve file discovery', () => {
  it('uses compose.yaml before docker-compose.yml and adds compose.override.yaml (compose-spec 03-compose-file.md; compose-go cli defaults)', () => {
    const p = resolveFixture('defaults');

    expect(p.files).toEqual([fixture('defaults', 'compose.yaml'), fixture('defaults', 'compose.override.yaml')]);
    expect(service(p, 'app').read_only).toBe(false);
    expect(p.allServices.map((s) => s.name)).toEqual(['app']);
  });

  it('looks in parent folders when the current one has no Compose file; the project directory is the file\'s folder', () => {
    const p = resolveFixture('defaults/nested/deeper');

    expect(p.files[0]).toBe(fixture('defaults', 'compose.yaml'));
    expect(p.workingDir).toBe(fixture('defaults'));
    expect(p.name).toBe('defaults');
  });

  it('takes COMPOSE_FILE (path-separator list) when no -f is given', () => {
    const p = resolveFixture('merge', { env: { COMPOSE_FILE: 'compose.yaml:override.yaml' } });

    expect(p.files).toEqual([fixture('merge', 'compose.yaml'), fixture('merge', 'override.yaml')]);
  });

  it('relative paths of every -f file resolve against the project directory, which --project-directory moves', () => {
    const p = resolveFixture('merge', { files: ['compose.yaml'], projectDirectory: '../syntax' });

    expect(service(p, 'web').volumes?.[0]?.source).toBe(fixture('syntax', 'html'));
    expect(p.workingDir).toBe(fixture('syntax'));
  });
});

describe('src/checkers/compose/resolve include, documents and extensions', () => {
  const p = resolveFixture('include-merge');

  it('merges a local redefinition onto an included service (compose-go importResources) with project_directory for its paths (compose-spec 14-include.md "project_directory")', () => {
    const shared = service(p, 'shared');

    expect(shared).toMatchObject({ image: 'shared:1', restart: 'unless-stopped', cap_drop: ['ALL'] });
    expect(shared.volumes?.[0]?.source).toBe(fixture('include-merge', 'lib', 'state'));
    expect(p.locate('services.shared.cap_drop.0')).toMatchObject({ file: fixture('include-merge', 'compose.yaml'), line: 6 });
    expect(p.locate('services.shared.image')).toMatchObject({ file: fixture('include-merge', 'lib', 'compose.yaml'), line: 6 });
    expect(p.locate('services.shared.restart')).toMatchObject({ file: fixture('include-merge', 'lib', 'compose.yaml'), line: 2 });
  });

  it('merges the documents of a multi-document file in order', () => {
    expect(service(p, 'second-doc').image).toBe('second:1');
    expect(p.locate('services.second-doc.image')).toMatchObject({ line: 12 });
  });

  it('!reset and !override apply to an extended service too; x- extensions are kept (compose-spec 11-extension.md)', () => {
    const q = resolveFixture('extends-reset');
    const child = service(q, 'child');

    expect(child.privileged).toBeUndefined();
    expect(child.ports).toEqual([{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
    expect(child.raw['x-owner']).toBe('team-a');
    expect(service(q, 'base').privileged).toBe(true);
  });
});
