import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_SOCKET, parseEndpoint, resolveEndpoints } from '../../../src/checkers/docker/endpoint.js';
import { UsageError } from '../../../src/errors.js';

let dir: string;
let certDir: string;
let home: string;
let hostPub: string;

describe('src/checkers/docker/endpoint', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-endpoint-'));
    certDir = join(dir, 'certs');
    mkdirSync(certDir);
    // Placeholder PEM bodies: resolution only reads the files; TLS parses them later.
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certDir, name), `${name}\n`);
    home = join(dir, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', join(dir, 'host_ecdsa')]);
    hostPub = readFileSync(join(dir, 'host_ecdsa.pub'), 'utf8').trim();
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('resolveEndpoints', () => {
    it('uses the local socket when nothing is set', () => {
      const endpoints = resolveEndpoints(undefined, { env: {} });

      expect(endpoints).toEqual([
        expect.objectContaining({ display: DEFAULT_SOCKET, transport: 'unix', modem: expect.objectContaining({ socketPath: '/var/run/docker.sock' }) as unknown }),
      ]);
    });

    it('uses DOCKER_HOST when no --docker value is given', () => {
      const endpoints = resolveEndpoints([], { env: { DOCKER_HOST: 'tcp://build.example.test:2375' } });

      expect(endpoints.map((e) => [e.display, e.transport])).toEqual([['tcp://build.example.test:2375', 'tcp']]);
    });

    it('prefers explicit values, several at once, over DOCKER_HOST', () => {
      const env = { DOCKER_HOST: 'tcp://ignored.example.test:2375' };

      const endpoints = resolveEndpoints(['unix:///run/user/1000/docker.sock', 'tcp://10.0.0.7:2375'], { env });

      expect(endpoints.map((e) => e.display)).toEqual(['unix:///run/user/1000/docker.sock', 'tcp://10.0.0.7:2375']);
    });

    it('names DOCKER_HOST when its value is malformed', () => {
      const resolving = () => resolveEndpoints(undefined, { env: { DOCKER_HOST: 'ftp://nope' } });

      expect(resolving).toThrow(UsageError);
      expect(resolving).toThrow(/"ftp:\/\/nope" \(DOCKER_HOST\)/);
    });
  });

  describe('parseEndpoint', () => {
    it.each([
      ['unix:///var/run/docker.sock', 'unix:///var/run/docker.sock', 'unix'],
      ['unix://', 'unix:///var/run/docker.sock', 'unix'],
      ['npipe:////./pipe/docker_engine', 'npipe:////./pipe/docker_engine', 'npipe'],
      ['tcp://10.0.0.7:2375', 'tcp://10.0.0.7:2375', 'tcp'],
      ['tcp://docker.example.test', 'tcp://docker.example.test:2375', 'tcp'],
      ['10.0.0.7:2375', 'tcp://10.0.0.7:2375', 'tcp'],
      ['http://docker.test:2375', 'http://docker.test:2375', 'tcp'],
      ['tcp://docker.example.test:80', 'tcp://docker.example.test:80', 'tcp'],
    ])('reads %s as %s over %s', (value, display, transport) => {
      const endpoint = parseEndpoint(value, { env: {} });

      expect([endpoint.display, endpoint.transport]).toEqual([display, transport]);
    });

    it.each([
      ['tcp://[::1]:2375', 'tcp://[::1]:2375', '::1'],
      ['ssh://ops@[fd00::5]:2222', 'ssh://ops@[fd00::5]:2222', 'fd00::5'],
    ])('keeps IPv6 brackets for display (%s) but not for connecting', (value, display, host) => {
      const endpoint = parseEndpoint(value, { env: {}, knownHostsFiles: [] });

      expect([endpoint.display, endpoint.modem.host]).toEqual([display, host]);
    });

    it('clears every connection field so docker-modem cannot fall back to DOCKER_HOST', () => {
      const endpoint = parseEndpoint('unix:///var/run/docker.sock', { env: {} });

      expect(endpoint.modem).toMatchObject({ socketPath: '/var/run/docker.sock' });
      expect(Object.keys(endpoint.modem)).toEqual(expect.arrayContaining(['host', 'port', 'protocol', 'ca', 'cert', 'key', 'sshOptions']));
      expect(endpoint.modem.host).toBeUndefined();
    });

    it.each([
      ['', /empty value/],
      ['ftp://host', /unsupported scheme "ftp"/],
      ['tcp://', /missing host/],
      ['tcp://host:99999', /not a valid URL/],
      ['tcp://host:0', /port 0/],
      ['tcp://host:2375/v1.41', /unexpected path/],
      ['tcp://user@host:2375', /credentials/],
      ['unix://relative.sock', /absolute/],
      ['ssh://', /not a valid URL|missing host/],
      ['ssh://host/extra', /unexpected path/],
    ])('refuses %j, naming the value', (value, why) => {
      const parsing = () => parseEndpoint(value, { env: {}, knownHostsFiles: [] });

      expect(parsing).toThrow(UsageError);
      expect(parsing).toThrow(why);
      expect(parsing).toThrow(JSON.stringify(value));
    });

    it.each(['ssh://deploy:hunter2@host', 'tcp://deploy:hunter2@host:2375', 'deploy:hunter2@host:2375'])('masks the password of %s in its refusal', (value) => {
      const parsing = () => parseEndpoint(value, { env: {}, knownHostsFiles: [] });

      expect(parsing).toThrow(UsageError);
      expect(parsing).toThrow(/deploy:\*\*\*@host/);
      expect(parsing).not.toThrow(/hunter2/);
    });
  });

  describe('TLS', () => {
    it('uses TLS on 2376 with the certificates in DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set', () => {
      const env = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certDir };

      const endpoint = parseEndpoint('tcp://secure.example.test', { env });

      expect(endpoint).toMatchObject({ display: 'tcp://secure.example.test:2376', transport: 'tls', modem: { protocol: 'https', host: 'secure.example.test', port: 2376 } });
      expect(endpoint.modem.ca?.toString()).toBe('ca.pem\n');
      expect(endpoint.modem.cert?.toString()).toBe('cert.pem\n');
      expect(endpoint.modem.key?.toString()).toBe('key.pem\n');
    });

    it('reads ~/.docker when DOCKER_CERT_PATH is not set', () => {
      const tlsHome = join(dir, 'tls-home');
      mkdirSync(join(tlsHome, '.docker'), { recursive: true });
      writeFileSync(join(tlsHome, '.docker', 'ca.pem'), 'home-ca\n');

      const endpoint = parseEndpoint('tcp://secure.example.test:2376', { env: { DOCKER_TLS_VERIFY: 'yes' }, homeDir: tlsHome });

      expect(endpoint.transport).toBe('tls');
      expect(endpoint.modem.ca?.toString()).toBe('home-ca\n');
      expect(endpoint.modem.cert).toBeUndefined();
    });

    it('uses TLS for https:// without DOCKER_TLS_VERIFY', () => {
      const endpoint = parseEndpoint('https://secure.example.test', { env: {}, homeDir: join(dir, 'empty-home') });

      expect(endpoint).toMatchObject({ display: 'https://secure.example.test:2376', transport: 'tls', modem: { protocol: 'https' } });
    });

    it('stays plain when DOCKER_TLS_VERIFY is empty', () => {
      const endpoint = parseEndpoint('tcp://plain.example.test:2376', { env: { DOCKER_TLS_VERIFY: '' } });

      expect(endpoint.transport).toBe('tcp');
    });

    it.each([
      [{ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent/palisade-certs' }, /DOCKER_CERT_PATH/],
      [{ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: 'ONLY_CERT' }, /cert\.pem and key\.pem must both exist/],
      [{ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: 'NO_CA' }, /ca\.pem is missing/],
    ])('refuses incomplete TLS material %j', (env, why) => {
      const onlyCert = join(dir, 'only-cert');
      mkdirSync(onlyCert, { recursive: true });
      writeFileSync(join(onlyCert, 'cert.pem'), 'x');
      const noCa = join(dir, 'no-ca');
      mkdirSync(noCa, { recursive: true });
      writeFileSync(join(noCa, 'cert.pem'), 'x');
      writeFileSync(join(noCa, 'key.pem'), 'x');
      const paths: Record<string, string> = { ONLY_CERT: onlyCert, NO_CA: noCa };
      const resolved = { ...env, DOCKER_CERT_PATH: paths[env.DOCKER_CERT_PATH] ?? env.DOCKER_CERT_PATH };

      const parsing = () => parseEndpoint('tcp://secure.example.test', { env: resolved });

      expect(parsing).toThrow(UsageError);
      expect(parsing).toThrow(why);
    });
  });

  describe('ssh', () => {
    it('builds ssh options with a verifier, the agent and the key types known for the host', () => {
      const knownHosts = join(dir, 'known_hosts');
      writeFileSync(knownHosts, `[docker.example.test]:2222 ${hostPub}\n`);

      const endpoint = parseEndpoint('ssh://deploy@docker.example.test:2222', {
        env: { SSH_AUTH_SOCK: '/run/agent.sock' },
        knownHostsFiles: [knownHosts],
      });

      expect(endpoint).toMatchObject({
        display: 'ssh://deploy@docker.example.test:2222',
        transport: 'ssh',
        modem: {
          protocol: 'ssh',
          host: 'docker.example.test',
          port: 2222,
          username: 'deploy',
          sshOptions: { agent: '/run/agent.sock', algorithms: { serverHostKey: ['ecdsa-sha2-nistp256'] } },
        },
      });
      expect(endpoint.modem.sshOptions?.hostVerifier).toBe(endpoint.hostVerifier);
      expect(endpoint.modem.sshOptions?.privateKey).toBeUndefined();
    });

    it('refuses a host missing from known_hosts at connection time, with the reason kept', () => {
      const endpoint = parseEndpoint('ssh://deploy@unknown.example.test', { env: {}, knownHostsFiles: [], homeDir: home });
      const verify = endpoint.hostVerifier;
      const key = Buffer.from(hostPub.split(' ')[1] ?? '', 'base64');

      const accepted = verify?.(key);

      expect(accepted).toBe(false);
      expect(verify?.lastRejection?.reason).toBe('unknown');
      expect(endpoint.modem.sshOptions?.algorithms).toBeUndefined();
    });

    it('uses a default identity file when no agent is running', () => {
      writeFileSync(join(home, '.ssh', 'id_ed25519'), 'PRIVATE KEY PLACEHOLDER\n');

      const endpoint = parseEndpoint('ssh://deploy@docker.example.test', { env: {}, knownHostsFiles: [], homeDir: home });

      expect(endpoint.modem.sshOptions?.privateKey?.toString()).toBe('PRIVATE KEY PLACEHOLDER\n');
      expect(endpoint.modem.sshOptions?.agent).toBeUndefined();
      expect(endpoint.display).toBe('ssh://deploy@docker.example.test');
      expect(JSON.stringify(endpoint.display)).not.toContain('PRIVATE');
    });
  });
});
