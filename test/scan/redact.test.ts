import { describe, expect, it } from 'vitest';

import type { ScanResult } from '../../src/model/report.js';
import { isRedacted, redactLabels, redactNamed, redactScan, redactText, redactValue } from '../../src/scan/redact.js';
import { loadScan } from '../reporters/fixture.js';

// Test values in the shapes of real credentials; none is a live credential.
const GH = `ghp_${'A1b2C3d4E5'.repeat(3)}abcdef`;
const GH_PAT = `github_pat_11ABCDEFG0${'x'.repeat(60)}`;
const AWS_ID = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SLACK = 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const GOOGLE = `AIza${'SyA-1234567890abcdefghijklmnopqrstu'}`;
const STRIPE = `sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`;
const PEM_BODY = 'MIIEowIBAAKCAQEA1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV\nabcdefghijklmnopqrstuvwxyz0123456789+/abcdefghijklmnop==';
const PEM = `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY}\n-----END RSA PRIVATE KEY-----`;

describe('src/scan/redact redactText', () => {
  it.each([
    ['a GitHub personal token', `token is ${GH} ok`, 'token is [redacted: github-token] ok', GH],
    ['a GitHub OAuth token', `x gho_${'a'.repeat(36)}`, 'x [redacted: github-token]', 'gho_'],
    ['a GitHub user-to-server token', `ghu_${'b'.repeat(36)}`, '[redacted: github-token]', 'ghu_'],
    ['a GitHub server-to-server token', `ghs_${'c'.repeat(36)}`, '[redacted: github-token]', 'ghs_'],
    ['a GitHub refresh token', `ghr_${'d'.repeat(36)}`, '[redacted: github-token]', 'ghr_'],
    ['a fine-grained GitHub token', GH_PAT, '[redacted: github-token]', GH_PAT],
    ['an AWS access key id', `key ${AWS_ID}`, 'key [redacted: aws-access-key-id]', AWS_ID],
    ['an AWS temporary key id', 'ASIAY34FZKBOKMUTVV7A', '[redacted: aws-access-key-id]', 'ASIAY34FZKBOKMUTVV7A'],
    ['an AWS secret key after its name', `aws_secret_access_key=${AWS_SECRET}`, 'aws_secret_access_key=[redacted: aws-secret-key]', AWS_SECRET],
    ['an AWS secret key in YAML', `AWS_SECRET_KEY: "${AWS_SECRET}"`, 'AWS_SECRET_KEY: "[redacted: aws-secret-key]"', AWS_SECRET],
    ['a Slack bot token', `slack ${SLACK}`, 'slack [redacted: slack-token]', SLACK],
    ['a Slack user token', 'xoxp-1234567890-abcdef', '[redacted: slack-token]', 'xoxp-1234567890'],
    ['a JWT', `Cookie ${JWT}`, 'Cookie [redacted: jwt]', JWT],
    ['a Google API key', `key=${GOOGLE}`, 'key=[redacted: google-api-key]', GOOGLE],
    ['a Stripe live key', STRIPE, '[redacted: stripe-key]', STRIPE],
    ['a whole PEM private key', `k ${PEM} end`, 'k [redacted: private-key] end', PEM_BODY.slice(0, 20)],
    ['an OpenSSH private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----', '[redacted: private-key]', 'b3BlbnNzaC1rZXktdjEAAAAA'],
    ['a PEM block with no END line', `-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY}`, '[redacted: private-key]', PEM_BODY.slice(0, 20)],
    ['only a BEGIN line', 'ssh=-----BEGIN RSA PRIVATE KEY-----...', 'ssh=[redacted: private-key]', '-----BEGIN'],
    ['a key body without its BEGIN line', PEM_BODY, '[redacted: key-material]', PEM_BODY.slice(0, 20)],
    ['URL credentials', 'postgres://app:hunter2@db:5432/x', 'postgres://app:[redacted: url-password]@db:5432/x', 'hunter2'],
    ['a bearer token', 'Authorization: Bearer abcdef0123456789', 'Authorization: Bearer [redacted: bearer-token]', 'abcdef0123456789'],
    ['a password assignment', 'run --password=hunter2 now', 'run --password=[redacted: secret] now', 'hunter2'],
    ['a token assignment', 'TOKEN: s3cr3t', 'TOKEN: [redacted: secret]', 's3cr3t'],
    ['an api key assignment', 'api_key=abc123', 'api_key=[redacted: secret]', 'abc123'],
    ['the longest name the pattern takes', `PASSWORD${'x'.repeat(64)} \t: hunter2`, `PASSWORD${'x'.repeat(64)} \t: [redacted: secret]`, 'hunter2'],
    ['a long name around a key', `${'n'.repeat(64)}private-key${'y'.repeat(64)}=k3y`, `${'n'.repeat(64)}private-key${'y'.repeat(64)}=[redacted: secret]`, 'k3y'],
  ])('redacts %s', (_name, input, expected, secret) => {
    const out = redactText(input);

    expect(out).toBe(expected);
    expect(out).not.toContain(secret);
  });

  it.each([
    ['plain text', 'Container shop-web-1 runs privileged.'],
    ['an image digest', 'sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904'],
    ['a URL without credentials', 'https://registry.example.com/v2/'],
    ['a setting name', 'PasswordAuthentication no'],
    ['a short gh prefix', 'ghp_short'],
    ['a marker', '[redacted: github-token]'],
  ])('leaves %s alone', (_name, input) => {
    expect(redactText(input)).toBe(input);
  });

  it.each([GH, PEM, `password=${GH}`, 'postgres://u:p@h', `aws_key=${AWS_SECRET}`, 'Bearer abcdefghijk'])('is idempotent on %j', (input) => {
    const once = redactText(input);

    expect(redactText(once)).toBe(once);
  });
});

describe('src/scan/redact named values', () => {
  it.each([
    ['DB_PASSWORD', 'hunter2', '[redacted: secret]'],
    ['com.example.api-token', 'abc', '[redacted: secret]'],
    ['AWS_KEY', AWS_SECRET, '[redacted: aws-secret-key]'],
    ['gh', GH, '[redacted: github-token]'],
    ['org.opencontainers.image.authors', 'Jane Doe', 'Jane Doe'],
    ['version', '1.2.3', '1.2.3'],
    ['DB_PASSWORD', '', ''],
  ])('redacts %s=%s as %s', (name, value, expected) => {
    expect(redactNamed(name, value)).toBe(expected);
  });

  it('redacts the issue repro labels and says which kind of secret each held', () => {
    const labels = { gh: GH, aws: AWS_ID, ssh: '-----BEGIN RSA PRIVATE KEY-----...', plain: 'ok' };

    const out = redactLabels(labels);

    expect(out).toEqual({ gh: '[redacted: github-token]', aws: '[redacted: aws-access-key-id]', ssh: '[redacted: private-key]', plain: 'ok' });
  });

  it('redacts secrets in label names too, keeping both of two names that redact alike', () => {
    const out = redactLabels({ [GH]: '1', [`ghp_${'z'.repeat(36)}`]: '2' });

    expect(out).toEqual({ '[redacted: github-token]': '1', '[redacted: github-token] #2': '2' });
  });

  it('walks arrays and nested objects', () => {
    const out = redactValue({ cmd: ['app', `--token=${GH}`], nested: { password: 'x', list: [AWS_ID] } });

    expect(out).toEqual({ cmd: ['app', '--token=[redacted: github-token]'], nested: { password: '[redacted: secret]', list: ['[redacted: aws-access-key-id]'] } });
  });

  it('shares what needs no change and copies only the path to a change', () => {
    const clean = { a: ['x', { b: 'y' }], c: { d: 1 } };
    const mixed = { keep: { d: 'plain' }, list: ['ok', `--token=${GH}`], other: ['ok'] };

    const same = redactValue(clean);
    const out = redactValue(mixed) as typeof mixed;

    expect(same).toBe(clean);
    expect(out).not.toBe(mixed);
    expect(out.keep).toBe(mixed.keep);
    expect(out.other).toBe(mixed.other);
    expect(out.list).toEqual(['ok', '--token=[redacted: github-token]']);
    expect(mixed.list[1]).toBe(`--token=${GH}`);
  });

  it('copies an object that is not a plain record, and a __proto__ key, as a full copy would', () => {
    class Box {
      value = 'plain';
    }
    const withProto = JSON.parse('{"__proto__": "evil", "k": "v"}') as Record<string, unknown>;

    const box = redactValue(new Box());
    const proto = redactValue(withProto);

    expect(box).not.toBeInstanceOf(Box);
    expect(box).toEqual({ value: 'plain' });
    expect(proto).not.toBe(withProto);
    expect(Object.keys(proto as object)).toEqual(['k']);
  });

  it.each(['[redacted: secret]', '[redacted: jwt]'])('knows %s as a marker', (marker) => {
    expect(isRedacted(marker)).toBe(true);
  });
});

describe('src/scan/redact redactScan', () => {
  function hostileScan(): ScanResult {
    const scan = loadScan();
    const w = scan.workloads.find((x) => x.kind === 'container');
    const f = scan.findings.find((x) => x.status === 'fail');
    if (!w || !f) throw new Error('fixture changed');
    w.name = `web-${AWS_ID}`;
    w.image = `registry.example.com/x:${GH}`;
    w.labels = { gh: GH, aws: AWS_ID, ssh: PEM };
    w.error = `engine said ${SLACK}`;
    w.warnings = [`healthcheck curl -H "Authorization: Bearer ${JWT}"`];
    f.message = `mounts https://u:${STRIPE}@x`;
    f.key = `--password=${GOOGLE}`;
    f.reason = `cmd ${GH_PAT}`;
    f.evidence = { source: 'inspect', path: 'Config.Cmd', observed: ['sh', '-c', `echo ${PEM}`], expected: { token: 'x' } };
    scan.targets[0]!.error = `tcp://admin:hunter2@h:2376 refused ${GH}`;
    scan.gate.reasons.push(`workload web-${AWS_ID} scores 0`);
    scan.baseline = { source: 'b.json', new: 0, unchanged: 0, fixed: [{ ...f, message: `was ${GH}` }], notEvaluated: [{ finding: { ...f }, reason: `gone ${GH}` }] };
    return scan;
  }

  const SECRETS = [GH, GH_PAT, AWS_ID, SLACK, JWT, GOOGLE, STRIPE, PEM_BODY.slice(0, 30), 'hunter2'];

  it('leaves no secret anywhere in the scan', () => {
    const out = JSON.stringify(redactScan(hostileScan()));

    for (const secret of SECRETS) expect(out).not.toContain(secret);
    expect(out).toContain('"gh":"[redacted: github-token]"');
    expect(out).toContain('"token":"[redacted: secret]"');
  });

  it('does not change the scan it was given, nor palisade\'s own rule text and fingerprints', () => {
    const scan = hostileScan();
    const before = JSON.stringify(scan);

    const out = redactScan(scan);

    expect(JSON.stringify(scan)).toBe(before);
    expect(out.rules).toBe(scan.rules);
    expect(out.findings.map((f) => [f.fingerprint, f.remediation, f.title])).toEqual(scan.findings.map((f) => [f.fingerprint, f.remediation, f.title]));
  });

  it('copies the model\'s records and shares the target values that need no change', () => {
    const scan = loadScan();
    const [first, second] = scan.findings.filter((f) => f.evidence !== undefined && typeof f.evidence.observed === 'object');
    if (!first || !second) throw new Error('fixture changed');
    second.message = `leaked ${GH}`;

    const out = redactScan(scan);

    const at = (f: typeof first): number => scan.findings.indexOf(f);
    expect(out.findings[at(first)]).not.toBe(first);
    expect(out.findings[at(first)]).toEqual(first);
    expect(out.findings[at(first)]?.evidence).not.toBe(first.evidence);
    expect(out.findings[at(first)]?.evidence?.observed).toBe(first.evidence?.observed);
    expect(out.findings[at(second)]?.message).toBe('leaked [redacted: github-token]');
    expect(second.message).toBe(`leaked ${GH}`);
  });

  it('changes nothing in a scan without secrets', () => {
    const scan = loadScan();
    for (const w of scan.workloads) delete w.labels['com.example.db-password'];

    expect(redactScan(scan)).toEqual(scan);
  });
});
