import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { composeLocation } from '../../src/scan/locations.js';

const root = mkdtempSync(path.join(tmpdir(), 'palisade-locations-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('src/scan/locations', () => {
  it('finds the service line of a Compose file named by the container label', () => {
    writeFileSync(path.join(root, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n');

    const location = composeLocation(root, { project: 'p', service: 'web', configFiles: ['compose.yaml'] });

    expect(location).toEqual({ uri: 'compose.yaml', startLine: 2, synthetic: false });
  });

  it('skips a FIFO or a device named by a (hostile) label instead of blocking or reading without end', () => {
    execFileSync('mkfifo', [path.join(root, 'fifo.yaml')]);

    const location = composeLocation(root, { project: 'p', service: 'web', configFiles: ['fifo.yaml', '/dev/zero'] });

    expect(location).toBeUndefined();
  });
});
