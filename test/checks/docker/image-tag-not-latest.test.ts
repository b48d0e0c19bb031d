import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/image-tag-not-latest.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

const DIGEST = `sha256:${'2'.repeat(64)}`;

describe('checks/docker/image-tag-not-latest', () => {
  it.each([
    'nginx:1.27',
    'localhost:5000/app:dev',
    `nginx@${DIGEST}`,
    `nginx:latest@${DIGEST}`,
    `sha256:${'1'.repeat(64)}`,
    'nginx:latest-alpine',
  ])('passes %s', (imageRef) => {
    const subject = containerSubject({ container: { imageRef } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    ['nginx:latest', 'latest'],
    ['ghcr.io/acme/app:latest', 'latest'],
    ['nginx', 'implicit-latest'],
    ['localhost:5000/app', 'implicit-latest'],
  ])('fails %s', (imageRef, messageId) => {
    const subject = containerSubject({ container: { imageRef } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual([messageId]);
    expect(result.violations[0]?.evidence).toMatchObject({ path: 'Config.Image', observed: imageRef });
  });

  it('does not apply to an unparseable reference', () => {
    const subject = containerSubject({ container: { imageRef: '' } });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/not a valid Docker reference/);
  });
});
