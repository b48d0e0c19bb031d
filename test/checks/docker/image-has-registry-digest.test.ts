import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/image-has-registry-digest.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/image-has-registry-digest', () => {
  it('passes an image pulled from a registry', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails an image built or loaded locally', () => {
    const subject = containerSubject({ image: { repoDigests: [], repoTags: ['app:dev'] } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['no-registry-digest']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'image inspect', path: 'RepoDigests' });
  });

  it('does not apply when the image is gone', () => {
    const subject = containerSubject({ image: null });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('image no longer present on the engine');
  });
});
