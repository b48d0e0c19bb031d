import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/package-metadata-fresh.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

const HOUR = 3600;

describe('checks/vm/package-metadata-fresh', () => {
  it.each([0, HOUR, 48 * HOUR])('passes metadata %d seconds old', (age) => {
    const subject = hostSubject({ updates: { pending: [], metadataAgeSeconds: age } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails metadata older than 48 hours and says results cannot be trusted', () => {
    const subject = hostSubject({ updates: { pending: [], metadataAgeSeconds: 10 * 24 * HOUR + 5 } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['metadata-stale']);
    expect(result.violations[0]?.data).toMatchObject({ ageHours: 240, maxHours: 48 });
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'package metadata', path: 'updates.metadataAgeSeconds', observed: 10 * 24 * HOUR + 5 });
    expect(check.meta.messages['metadata-stale']).toContain('cannot be trusted');
  });

  it('honours maxMetadataAgeHours', () => {
    const subject = hostSubject({ updates: { pending: [], metadataAgeSeconds: 13 * HOUR } });

    const result = run(check, subject, { maxMetadataAgeHours: 12 });

    expect(messageIds(result)).toEqual(['metadata-stale']);
  });

  it('is not evaluated when the metadata age was not collected', () => {
    const subject = hostSubject({
      updates: { pending: [] },
      notCollected: { 'updates.metadataAgeSeconds': { reason: 'failed', detail: 'metadata-age: the host did not report its clock' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: metadata-age: the host did not report its clock');
  });

  it('is not evaluated when pending updates were not collected at all', () => {
    const subject = hostSubject({
      updates: undefined,
      notCollected: { updates: { reason: 'failed', detail: 'metadata-age: the host has no package metadata' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: metadata-age: the host has no package metadata');
  });

  it('is not evaluated when the age is missing with no recorded reason', () => {
    const subject = hostSubject({ updates: { pending: [] } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: the age of the package metadata not collected');
  });
});
