import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-experimental-disabled.js';
import { engineSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/engine-experimental-disabled', () => {
  it('passes an engine without experimental features', () => {
    const subject = engineSubject({ experimental: false });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails an engine with experimental features', () => {
    const subject = engineSubject({ experimental: true });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['experimental-enabled']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'engine info', path: 'ExperimentalBuild', observed: true });
  });
});
