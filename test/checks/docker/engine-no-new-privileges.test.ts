import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-no-new-privileges.js';
import { engineFacts, engineSubject, messageIds, run } from '../../helpers/facts.js';

const security = engineFacts().security;

describe('checks/docker/engine-no-new-privileges', () => {
  it('passes an engine started with --no-new-privileges', () => {
    const subject = engineSubject({ security: { ...security, noNewPrivileges: true } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails an engine without it', () => {
    const subject = engineSubject({ security: { ...security, noNewPrivileges: false } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['no-new-privileges-off']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'engine info', path: 'SecurityOptions' });
  });
});
