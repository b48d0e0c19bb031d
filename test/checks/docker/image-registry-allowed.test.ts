import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/image-registry-allowed.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

const ID = `sha256:${'1'.repeat(64)}`;
const DIGEST = `sha256:${'2'.repeat(64)}`;

describe('checks/docker/image-registry-allowed', () => {
  it.each([
    [['registry.example.com'], 'registry.example.com/team/app:1.4.2'],
    [['registry.example.com/team'], 'registry.example.com/team/app:1.4.2'],
    [['docker.io/library'], 'nginx:1.27'],
    [['docker.io'], 'bitnami/redis:7.4'],
    [['ghcr.io/acme', 'docker.io/library'], `nginx@${DIGEST}`],
    [['localhost:5000'], 'localhost:5000/app:dev'],
  ])('passes when %j covers %s', (allowedRegistries, imageRef) => {
    const subject = containerSubject({ container: { imageRef } });

    const result = run(check, subject, { allowedRegistries });

    expect(result.violations).toEqual([]);
  });

  it.each([
    [['registry.example.com'], 'nginx:1.27', 'docker.io/library/nginx'],
    [['docker.io/library'], 'bitnami/redis:7.4', 'docker.io/bitnami/redis'],
    [['ghcr.io/acme'], 'ghcr.io/acme-evil/app:1', 'ghcr.io/acme-evil/app'],
    [['registry.example.com'], 'registry.example.com.evil.io/team/app:1', 'registry.example.com.evil.io/team/app'],
    [['registry.example.com'], 'app:dev', 'docker.io/library/app'],
  ])('fails when %j does not cover %s', (allowedRegistries, imageRef, repository) => {
    const subject = containerSubject({ container: { imageRef } });

    const result = run(check, subject, { allowedRegistries });

    expect(messageIds(result)).toEqual(['registry-not-allowed']);
    expect(result.violations[0]?.data?.['repository']).toBe(repository);
    expect(result.violations[0]?.evidence).toMatchObject({ path: 'Config.Image', observed: repository });
  });

  it('does not apply without an allow-list', () => {
    const subject = containerSubject({ container: { imageRef: 'nginx' } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('no registry allow-list in policy');
  });

  it('judges an image ID by the names the image is known by', () => {
    const subject = containerSubject({ container: { imageRef: ID } });

    const result = run(check, subject, { allowedRegistries: ['registry.example.com'] });

    expect(result.violations).toEqual([]);
  });

  it('fails an image ID whose names are all outside the allow-list', () => {
    const subject = containerSubject({
      container: { imageRef: ID },
      image: { repoDigests: [`nginx@${DIGEST}`], repoTags: ['nginx:1.27'] },
    });

    const result = run(check, subject, { allowedRegistries: ['registry.example.com'] });

    expect(messageIds(result)).toEqual(['registry-not-allowed']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'image inspect', observed: ['docker.io/library/nginx'] });
  });

  it('fails an image ID with no repository name', () => {
    const subject = containerSubject({ container: { imageRef: ID }, image: { repoDigests: [], repoTags: [] } });

    const result = run(check, subject, { allowedRegistries: ['registry.example.com'] });

    expect(messageIds(result)).toEqual(['no-repository']);
  });

  it('does not apply to an image ID whose image is gone', () => {
    const subject = containerSubject({ container: { imageRef: ID }, image: null });

    const result = run(check, subject, { allowedRegistries: ['registry.example.com'] });

    expect(result.notApplicable).toBe('image no longer present on the engine');
  });

  it('does not need the image for a named reference', () => {
    const subject = containerSubject({ container: { imageRef: 'nginx:1.27' }, image: null });

    const result = run(check, subject, { allowedRegistries: ['registry.example.com'] });

    expect(messageIds(result)).toEqual(['registry-not-allowed']);
  });
});
