import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-authorization-plugin.js';
import { engineSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/engine-authorization-plugin', () => {
  it('passes an engine with an authorization plugin', () => {
    const subject = engineSubject({ authorizationPlugins: ['opa-docker-authz'] });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('fails an engine without one', () => {
    const subject = engineSubject({ authorizationPlugins: [] });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['no-authz-plugin']);
    expect(result.violations[0]?.evidence).toMatchObject({ source: 'engine info', path: 'Plugins.Authorization' });
  });
});
