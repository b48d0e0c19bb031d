import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/healthcheck-configured.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

const configured = { configured: true, disabled: false };
const disabled = { configured: false, disabled: true };
const absent = { configured: false, disabled: false };

describe('checks/docker/healthcheck-configured', () => {
  it('passes a container inheriting its image healthcheck', () => {
    const subject = containerSubject({ container: { healthcheck: undefined }, image: { healthcheck: configured } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    ['an image without one', { healthcheck: absent }],
    ['an image that disables it', { healthcheck: disabled }],
    ['no image facts', null],
  ] as const)('passes a container with its own healthcheck and %s', (_name, image) => {
    const subject = containerSubject({ container: { healthcheck: configured }, image });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails a container that disables the image healthcheck at runtime', () => {
    const subject = containerSubject({ container: { healthcheck: disabled }, image: { healthcheck: configured } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['disabled-at-runtime']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'Config.Healthcheck.Test' });
  });

  it.each([
    ['no healthcheck anywhere', undefined, absent, 'Config.Healthcheck'],
    ['an image HEALTHCHECK NONE', undefined, disabled, 'Config.Healthcheck.Test'],
    ['a container healthcheck without a test over an image without one', absent, absent, 'Config.Healthcheck'],
  ] as const)('fails with %s', (_name, container, image, path) => {
    const subject = containerSubject({ container: { healthcheck: container }, image: { healthcheck: image } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['none']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'image inspect', path });
  });

  it('passes a container healthcheck without a test when the image supplies one', () => {
    const subject = containerSubject({ container: { healthcheck: absent }, image: { healthcheck: configured } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails when neither the container nor (missing) image facts show a healthcheck', () => {
    const subject = containerSubject({ container: { healthcheck: undefined }, image: null });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['none']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'container inspect', path: 'Config.Healthcheck' });
  });
});
