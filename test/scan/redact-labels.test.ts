// The repro on recorded Engine API answers: a container labelled with
// a GitHub token, an AWS key id and a PEM private key, scanned with
// `scan --all --format json`, must come out with each label marked redacted.
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model/report.js';
import { loadScenario, type Recording } from '../checkers/docker/recorded.js';
import { runCli } from '../helpers/cli.js';
import { PEM, SECRET } from '../helpers/hostile.js';

const ORIGIN = 'http://docker.test:2375';

const LABELS = { gh: SECRET.github, aws: SECRET.aws, ssh: PEM, 'com.example.note': `deploy by https://bot:${SECRET.urlPassword}@ci.example` };

function withLabels(r: Recording): Recording {
  const body = structuredClone(r.body) as Record<string, unknown>;
  if (r.file === 'containers.json') {
    for (const c of body as unknown as Record<string, unknown>[]) c['Labels'] = { ...(c['Labels'] as object), ...LABELS };
  } else if (r.file.startsWith('container-')) {
    const config = body['Config'] as Record<string, unknown>;
    config['Labels'] = { ...(config['Labels'] as object), ...LABELS };
  }
  return { ...r, body };
}

describe('src/scan/redact on recorded engine answers', () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });

  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('redacts token, key id and private key labels in scan --all --format json, saying which kind each was', async () => {
    const scope = nock(ORIGIN);
    for (const r of loadScenario('hardened').filter((x) => !x.file.startsWith('top-')).map(withLabels)) {
      scope.get(r.request.path).query(r.request.query).reply(r.status, r.body as nock.Body);
    }

    const result = await runCli(['scan', '--docker', 'tcp://docker.test:2375', '--all', '--format', 'json', '--no-progress'], { env: {} });

    expect(result.stderr).toBe('');
    for (const secret of [SECRET.github, SECRET.aws, SECRET.pemBody, 'BEGIN RSA PRIVATE KEY', SECRET.urlPassword]) {
      expect(result.stdout).not.toContain(secret);
    }
    const report = JSON.parse(result.stdout) as ScanResult;
    const container = report.workloads.find((w) => w.kind === 'container');
    expect(container?.labels).toMatchObject({
      gh: '[redacted: github-token]',
      aws: '[redacted: aws-access-key-id]',
      ssh: '[redacted: private-key]',
      'com.example.note': 'deploy by https://bot:[redacted: url-password]@ci.example',
    });
    expect(scope.isDone()).toBe(true);
  });
});
