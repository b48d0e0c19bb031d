// Risk: credentials in environment variables leak through `docker inspect`,
// /proc/<pid>/environ, crash dumps, logs and child processes.
import { defineCheck, type Violation } from '../../src/model/check.js';
import { stringList } from '../../src/lib/params.js';

// Judged by name alone: the collector never gathers values, so nothing here may
// show one. Names are split into words (on `_`, `-`, `.` and camelCase).

/** Words that mark a credential wherever they appear, alone or ending a word (`PGPASSWORD`, `GITHUBTOKEN`). */
const CREDENTIAL_WORDS = [
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'APIKEY',
  'PRIVATEKEY',
  'ACCESSKEY',
  'SECRETKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
];
/** Whole words that mark a credential (`SENTRY_DSN`). */
const CREDENTIAL_SEGMENTS = new Set(['DSN']);
/**
 * Words that mark a credential only as the last word of a longer name: `DB_PWD`
 * but not `PWD` (the shell's working directory), `REDIS_AUTH` but not
 * `AUTH_MODE`, `SMTP_PASS` but not `PASS_THROUGH`.
 */
const FINAL_SEGMENTS = new Set(['PWD', 'PASS', 'AUTH']);
/** Word pairs that mark a credential (`STRIPE_API_KEY`, `DB_CONNECTION_STRING`). */
const CREDENTIAL_PAIRS = [
  'API_KEY',
  'PRIVATE_KEY',
  'ACCESS_KEY',
  'AUTH_KEY',
  'SIGNING_KEY',
  'ENCRYPTION_KEY',
  'CONNECTION_STRING',
  'CONN_STRING',
  'CONN_STR',
];
/**
 * A last word that says the variable describes a credential rather than holds
 * it: `POSTGRES_PASSWORD_FILE` (Docker secrets convention), `TOKEN_URL`,
 * `AUTH_TYPE`, `AWS_ACCESS_KEY_ID` (an identifier, not the secret).
 */
const DESCRIPTIVE_LAST_WORDS = new Set([
  'FILE', 'PATH', 'DIR', 'URL', 'URI', 'ENDPOINT', 'HOST', 'HOSTNAME', 'PORT', 'USER', 'USERNAME', 'NAME', 'ID',
  'TYPE', 'MODE', 'METHOD', 'PROVIDER', 'ENABLED', 'DISABLED', 'REQUIRED', 'TTL', 'TIMEOUT', 'EXPIRY', 'EXPIRES',
  'EXPIRATION', 'LENGTH', 'HEADER', 'ALGORITHM', 'ISSUER', 'AUDIENCE', 'POLICY', 'SCOPE', 'SCOPES', 'REALM',
  'VERSION', 'REGION',
]);
/** Well-known names that hold a path to a credential, not the credential. */
const KNOWN_PATHS = new Set(['GOOGLE_APPLICATION_CREDENTIALS']);
/** A first word that makes the variable a switch: `DISABLE_AUTH`, `USE_TOKEN`. */
const SWITCH_FIRST_WORDS = new Set(['ENABLE', 'DISABLE', 'NO', 'USE', 'SKIP', 'REQUIRE', 'ALLOW']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== '');
}

/** Whether an environment variable name looks like it holds a credential. */
function looksLikeCredential(name: string): boolean {
  if (KNOWN_PATHS.has(name)) return false;
  const w = words(name);
  const first = w[0];
  const last = w[w.length - 1];
  if (first === undefined || last === undefined) return false;
  if (DESCRIPTIVE_LAST_WORDS.has(last) || SWITCH_FIRST_WORDS.has(first)) return false;
  if (w.some((word) => CREDENTIAL_SEGMENTS.has(word) || CREDENTIAL_WORDS.some((c) => word.endsWith(c)))) return true;
  if (w.length > 1 && FINAL_SEGMENTS.has(last)) return true;
  const joined = `_${w.join('_')}_`;
  return CREDENTIAL_PAIRS.some((pair) => joined.includes(`_${pair}_`));
}

export default defineCheck({
  id: 'docker/no-secrets-in-env',
  target: 'container',
  meta: {
    title: 'No credentials in environment variables',
    description:
      'Environment variables are not secret storage. Anyone who can run `docker inspect` reads them, as does ' +
      'every process in the container (/proc/<pid>/environ), every child process it starts, and crash reporters ' +
      'and debug pages that dump the environment. Variables baked into the image with ENV are also readable by ' +
      'anyone who can pull it. The check judges names only (values are never collected): a non-empty variable ' +
      'whose name contains PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIAL(S), DSN or ' +
      'CONNECTION_STRING, or ends in PWD, PASS or AUTH, fails. Names that describe a credential rather than hold ' +
      'it are not flagged: those ending in _FILE (the Docker secrets convention), _URL, _HOST, _USER, _ID, _TYPE ' +
      'and similar, switches starting with ENABLE_, DISABLE_, NO_ or USE_, and GOOGLE_APPLICATION_CREDENTIALS (a ' +
      'path). Add false positives to the parameter `allowedNames`. URLs with embedded credentials ' +
      '(DATABASE_URL) cannot be told apart by name and are not detected.',
    layer: 'access',
    severity: 'high',
    remediation:
      'Remove the variable from `-e`/`--env`/`--env-file` (Compose: `environment`/`env_file`) and from any ' +
      'Dockerfile `ENV`; deliver the credential as a file instead (Compose: top-level and service `secrets`, ' +
      'mounted under /run/secrets/; Swarm: `docker secret`; or `--mount type=bind,src=...,dst=/run/secrets/...,readonly`) ' +
      'and point the application at it, e.g. with a `<NAME>_FILE` variable.',
    references: [
      'cis-docker-1.6.0:4.10',
      'cwe:526',
      'cwe:798',
      'https://docs.docker.com/compose/how-tos/use-secrets/',
      'https://docs.docker.com/engine/swarm/secrets/',
    ],
    messages: {
      'secret-in-env': 'Container {{name}} sets {{variable}} in its environment, which looks like a credential.',
    },
    parameters: {
      allowedNames: {
        description: 'Variable names (exact, case-sensitive) that are not credentials despite their name.',
        schema: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        default: [],
      },
    },
  },
  evaluate({ container }, ctx) {
    const allowed = new Set(stringList(ctx.params['allowedNames']));
    const reported = new Set<string>();
    const violations: Violation[] = [];
    for (const variable of container.env) {
      const { name } = variable;
      if (variable.empty || allowed.has(name) || reported.has(name) || !looksLikeCredential(name)) continue;
      reported.add(name);
      violations.push({
        messageId: 'secret-in-env',
        data: { name: container.name, variable: name },
        evidence: {
          source: 'container inspect',
          path: 'Config.Env',
          observed: `${name}=<redacted>`,
          expected: 'no credential in the environment (a secret file, e.g. via <NAME>_FILE)',
        },
        key: name,
      });
    }
    return violations;
  },
});
