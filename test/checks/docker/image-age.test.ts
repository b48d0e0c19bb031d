import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/image-age.js';
import { NOW, containerSubject, messageIds, run } from '../../helpers/facts.js';

function daysBeforeNow(days: number): string {
  return new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000).toISOString();
}

describe('checks/docker/image-age', () => {
  it.each([0, 30, 90])('passes an image built %d days before the scan', (days) => {
    const subject = containerSubject({ image: { created: daysBeforeNow(days) } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('passes an image created after the scan clock (skew)', () => {
    const subject = containerSubject({ image: { created: daysBeforeNow(-1) } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails an image older than the default 90 days and reports its age', () => {
    const subject = containerSubject({ image: { created: daysBeforeNow(120.5) } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['image-too-old']);
    expect(result.violations[0]?.data).toMatchObject({ ageDays: 120, maxAgeDays: 90 });
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'image inspect', path: 'Created' });
  });

  it('honours maxAgeDays', () => {
    const subject = containerSubject({ image: { created: daysBeforeNow(31) } });

    const result = run(check, subject, { maxAgeDays: 30 });

    expect(result.violations[0]?.data).toMatchObject({ ageDays: 31, maxAgeDays: 30 });
  });

  it.each([
    [undefined, 'image has no creation time'],
    ['', 'image has no creation time'],
    ['yesterday', 'image creation time is not a valid date'],
    ['1970-01-01T00:00:00Z', 'image creation time is a placeholder (reproducible build)'],
    ['0001-01-01T00:00:00Z', 'image creation time is a placeholder (reproducible build)'],
  ])('does not apply when created is %j', (created, reason) => {
    const subject = containerSubject({ image: { created } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe(reason);
  });

  it('does not apply when the image is gone', () => {
    const subject = containerSubject({ image: null });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('image no longer present on the engine');
  });
});
