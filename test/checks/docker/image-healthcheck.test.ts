import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/image-healthcheck.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

const none = { configured: false, disabled: false };
const configured = { configured: true, disabled: false };
const disabled = { configured: false, disabled: true };

describe('checks/docker/image-healthcheck', () => {
  it('passes an image with a health check', () => {
    const subject = containerSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    ['no health check', none],
    ['HEALTHCHECK NONE', disabled],
  ])('fails an image with %s', (_, healthcheck) => {
    const subject = containerSubject({ image: { healthcheck } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['no-healthcheck']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'image inspect', path: 'Config.Healthcheck' });
  });

  it('passes when the container sets its own health check', () => {
    const subject = containerSubject({ container: { healthcheck: configured }, image: { healthcheck: none } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it("fails when the container disables the image's health check", () => {
    const subject = containerSubject({ container: { healthcheck: disabled }, image: { healthcheck: configured } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['healthcheck-disabled']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'Config.Healthcheck' });
  });

  it('does not apply when the image is gone', () => {
    const subject = containerSubject({ image: null });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('image no longer present on the engine');
  });
});
