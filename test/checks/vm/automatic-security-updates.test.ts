import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/automatic-security-updates.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/vm/automatic-security-updates', () => {
  it('passes a host with unattended-upgrades enabled', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    [{ mechanism: 'dnf-automatic', enabled: false, detail: 'dnf-automatic.timer enabled; apply_updates=no' }, 'disabled'],
    [{ mechanism: 'none', enabled: false, detail: 'unattended-upgrades not installed' }, 'no-mechanism'],
  ])('fails %j', (autoUpdates, messageId) => {
    const subject = hostSubject({ autoUpdates });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual([messageId]);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'automatic updates', path: 'autoUpdates.enabled' });
  });

  it('is not evaluated when automatic updates were not collected', () => {
    const subject = hostSubject({
      autoUpdates: undefined,
      notCollected: { autoUpdates: { reason: 'unsupported-os', detail: 'auto-updates: unrecognised OS family' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: auto-updates: unrecognised OS family');
  });
});
