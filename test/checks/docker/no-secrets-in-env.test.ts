import { describe, expect, it } from 'vitest';

import check from '../../../checks/docker/no-secrets-in-env.js';
import { containerSubject, messageIds, run } from '../../helpers/facts.js';

function env(...names: string[]): { name: string; empty: boolean }[] {
  return names.map((name) => ({ name, empty: false }));
}

describe('checks/docker/no-secrets-in-env', () => {
  it('passes a container with ordinary variables', () => {
    const subject = containerSubject({ container: { env: env('PATH', 'HOME', 'LANG', 'NODE_ENV') } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it.each([
    'POSTGRES_PASSWORD',
    'MYSQL_ROOT_PASSWORD',
    'PGPASSWORD',
    'REDIS_PASSWD',
    'MYSQL_PWD',
    'SMTP_PASS',
    'JWT_SECRET',
    'SECRET_KEY_BASE',
    'OAUTH_CLIENT_SECRET',
    'GITHUB_TOKEN',
    'AWS_SESSION_TOKEN',
    'AWS_SECRET_ACCESS_KEY',
    'STRIPE_API_KEY',
    'OPENAI_APIKEY',
    'SSH_PRIVATE_KEY',
    'MINIO_ACCESS_KEY',
    'GOOGLE_APPLICATION_CREDENTIALS_JSON',
    'DB_CREDENTIAL',
    'SENTRY_DSN',
    'DB_CONNECTION_STRING',
    'REDIS_AUTH',
    'NPM_AUTH_TOKEN',
    'dbPassword',
    'GPG_PASSPHRASE',
  ])('fails %s', (name) => {
    const subject = containerSubject({ container: { env: env('PATH', name) } });

    const result = run(check, subject);

    expect(messageIds(result)).toEqual(['secret-in-env']);
    expect(result.violations[0]?.key).toBe(name);
    expect(result.violations[0]?.evidence).toMatchObject({ path: 'Config.Env', observed: `${name}=<redacted>` });
  });

  it.each([
    'PASSWORD_FILE',
    'POSTGRES_PASSWORD_FILE',
    'TOKEN_URL',
    'OAUTH_TOKEN_ENDPOINT',
    'AUTH_TYPE',
    'AUTH_ENABLED',
    'AWS_ACCESS_KEY_ID',
    'DB_USER',
    'PASSWORD_MIN_LENGTH',
    'DISABLE_AUTH',
    'PWD',
    'OLDPWD',
    'PASS_THROUGH',
    'TOKENIZERS_PARALLELISM',
    'AUTHOR',
    'SSH_PUBLIC_KEY',
    'CACHE_KEY',
    'DATABASE_URL',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'AWS_SHARED_CREDENTIALS_FILE',
    'SSH_AUTH_SOCK',
  ])('passes %s', (name) => {
    const subject = containerSubject({ container: { env: env(name) } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('ignores variables with an empty value', () => {
    const subject = containerSubject({ container: { env: [{ name: 'POSTGRES_PASSWORD', empty: true }] } });

    const result = run(check, subject);

    expect(result.violations).toEqual([]);
  });

  it('honours allowedNames', () => {
    const subject = containerSubject({ container: { env: env('GITHUB_TOKEN', 'SENTRY_DSN') } });

    const result = run(check, subject, { allowedNames: ['SENTRY_DSN'] });

    expect(result.violations.map((v) => v.key)).toEqual(['GITHUB_TOKEN']);
  });

  it('reports one violation per variable name', () => {
    const subject = containerSubject({ container: { env: env('API_KEY', 'DB_PASSWORD', 'API_KEY') } });

    const result = run(check, subject);

    expect(result.violations.map((v) => v.key)).toEqual(['API_KEY', 'DB_PASSWORD']);
  });
});
