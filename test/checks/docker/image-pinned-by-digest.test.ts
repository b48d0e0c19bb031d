import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/image-pinned-by-digest.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

const DIGEST = `sha256:${'2'.repeat(64)}`;

describe('checks/docker/image-pinned-by-digest', () => {
  it.each([
    `registry.example.com/team/app:1.4.2@${DIGEST}`,
    `nginx@${DIGEST}`,
    `sha256:${'1'.repeat(64)}`,
    '1'.repeat(64),
    '0123456789ab',
  ])('passes %s', (imageRef) => {
    const subject = containerSubject({ container: { imageRef } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each(['nginx', 'nginx:1.27', 'nginx:latest', 'localhost:5000/app:dev'])('fails %s', (imageRef) => {
    const subject = containerSubject({ container: { imageRef } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['not-pinned']);
    expect(result.violations[0]?.evidence).toMatchObject({ path: 'Config.Image', observed: imageRef });
  });

  it('does not apply to an unparseable reference', () => {
    const subject = containerSubject({ container: { imageRef: 'Not A Reference' } });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/not a valid Docker reference/);
  });
});
