import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/image-oci-labels.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

const SOURCE = 'org.opencontainers.image.source';
const REVISION = 'org.opencontainers.image.revision';

describe('checks/docker/image-oci-labels', () => {
  it('passes an image with source and revision labels', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails once per missing label', () => {
    const subject = containerSubject({ image: { labels: { maintainer: 'ops@example.com' } } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['label-missing', 'label-missing']);
    expect(result.violations.map((v) => v.key)).toEqual([SOURCE, REVISION]);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'image inspect', path: `Config.Labels["${SOURCE}"]`, observed: null });
  });

  it.each(['', '  '])('treats a label with value %j as missing', (value) => {
    const subject = containerSubject({ image: { labels: { [SOURCE]: 'https://github.com/example/app', [REVISION]: value } } });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual([REVISION]);
  });

  it('honours requiredLabels', () => {
    const subject = containerSubject();

    const result = run(check, subject, { requiredLabels: [SOURCE, 'org.opencontainers.image.version'] });

    expect(result.violations.map((v) => v.key)).toEqual(['org.opencontainers.image.version']);
  });

  it('does not apply when the image is gone', () => {
    const subject = containerSubject({ image: null });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('image no longer present on the engine');
  });
});
