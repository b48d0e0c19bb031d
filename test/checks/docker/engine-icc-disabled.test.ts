import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/engine-icc-disabled.js';
import { engineSubject, messageIds, run } from '../../helpers/facts.js';

describe('checks/docker/engine-icc-disabled', () => {
  it('passes an engine with icc disabled on the default bridge', () => {
    const subject = engineSubject({ defaultBridge: { iccEnabled: false } });

    const result = run(check, subject);

    expect(result.notApplicable).toBeUndefined();
    expect(result.violations).toEqual([]);
  });

  it('fails an engine with icc enabled', () => {
    const subject = engineSubject({ defaultBridge: { iccEnabled: true } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['icc-enabled']);
    expect(result.violations[0]?.evidence.path).toBe('Options["com.docker.network.bridge.enable_icc"]');
  });

  it('is not applicable without a default bridge', () => {
    const subject = engineSubject({ defaultBridge: undefined });

    const result = run(check, subject);

    expect(result.notApplicable).toMatch(/no default bridge/);
    expect(result.violations).toEqual([]);
  });
});
