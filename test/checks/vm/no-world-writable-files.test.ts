import { describe, expect, it } from 'vitest';

import check from '../../../checks/vm/no-world-writable-files.js';
import { hostSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/vm/no-world-writable-files', () => {
  it('passes a host with no world-writable system files', () => {
    const subject = hostSubject();

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails once per path, keyed by path', () => {
    const subject = hostSubject({ worldWritable: ['/etc/cron.d/backup', '/usr/local/bin/deploy.sh', '/etc/cron.d/backup'] });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['world-writable', 'world-writable']);
    expect(result.violations.map((v) => v.key)).toEqual(['/etc/cron.d/backup', '/usr/local/bin/deploy.sh']);
    expect(result.violations[0]?.evidence).toMatchObject({ path: 'worldWritable', observed: '/etc/cron.d/backup' });
  });

  it('caps the list at 50 and summarises the rest', () => {
    const paths = Array.from({ length: 73 }, (_, i) => `/usr/share/app/file-${i}`);
    const subject = hostSubject({ worldWritable: paths });

    const result = run(check, subject);

    expect(result.violations).toHaveLength(51);
    expect(messageIds(result).filter((id) => id === 'world-writable')).toHaveLength(50);
    expect(result.violations[50]).toMatchObject({ messageId: 'more-world-writable', key: 'more', data: { count: 23 } });
  });

  it('does not summarise exactly 50 paths', () => {
    const subject = hostSubject({ worldWritable: Array.from({ length: 50 }, (_, i) => `/etc/f${i}`) });

    const result = run(check, subject);

    expect(messageIds(result)).not.toContain('more-world-writable');
  });

  it('is not evaluated (needs root) without root', () => {
    const subject = hostSubject({
      privilege: { root: false, sudo: 'not-configured' },
      worldWritable: undefined,
      notCollected: { worldWritable: { reason: 'needs-root', detail: 'world-writable: not root, and sudo is not enabled for this host in the inventory' } },
    });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated (needs root): world-writable: not root, and sudo is not enabled for this host in the inventory');
  });

  it('is not evaluated when the search failed', () => {
    const subject = hostSubject({ worldWritable: undefined, notCollected: { 'world-writable': { reason: 'failed', detail: 'world-writable: timed out after 60 s' } } });

    const result = run(check, subject);

    expect(result.notApplicable).toBe('not evaluated: world-writable: timed out after 60 s');
  });
});
