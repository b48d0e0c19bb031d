import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-userns-or-rootless.js';
import { engineFacts, engineSubject, messageIds, run } from '../../helpers/facts.js';

const security = engineFacts().security;

describe('checks/docker/engine-userns-or-rootless', () => {
  it.each([
    ['userns-remap', { userns: true, rootless: false }],
    ['rootless', { userns: false, rootless: true }],
  ])('passes an engine with %s', (_name, mode) => {
    const subject = engineSubject({ security: { ...security, ...mode } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails an engine with neither', () => {
    const subject = engineSubject({ security: { ...security, userns: false, rootless: false } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['no-user-namespaces']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'engine info', path: 'SecurityOptions' });
  });
});
