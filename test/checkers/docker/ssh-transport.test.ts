import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Server } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { collectEngine } from '../../../src/checkers/docker/collect.js';
import { parseEndpoint } from '../../../src/checkers/docker/endpoint.js';
import { CollectError } from '../../../src/errors.js';
import { loadScenario } from './recorded.js';

// An ssh2 server on loopback that, like a real Docker host, answers
// `docker system dial-stdio` by piping the channel to the engine API; here the
// "engine" is a loopback HTTP server replaying recorded answers. This proves the
// known_hosts verifier reaches ssh2 through dockerode's sshOptions.

let dir: string;
let hostPub: string;
let strangerPub: string;
let api: http.Server;
let ssh: Server;
let sshPort: number;
const served: string[] = [];
const execs: string[] = [];

function keygen(name: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', join(dir, name)]);
  return readFileSync(join(dir, `${name}.pub`), 'utf8').split(' ').slice(0, 2).join(' ');
}

function knownHostsFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('src/checkers/docker/collect over ssh', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-ssh-transport-'));
    hostPub = keygen('host_key');
    strangerPub = keygen('stranger_key');

    const recordings = loadScenario('hardened');
    api = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://engine');
      const found = recordings.find(
        (r) => r.request.path === url.pathname && new URLSearchParams(r.request.query).toString() === url.searchParams.toString(),
      );
      served.push(`${req.method} ${req.url}`);
      res.writeHead(found?.status ?? 599, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(found?.body ?? { message: 'not recorded' }));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const apiPort = (api.address() as AddressInfo).port;

    ssh = new Server({ hostKeys: [readFileSync(join(dir, 'host_key'))] }, (client) => {
      client.on('authentication', (ctx) => ctx.accept());
      client.on('error', () => undefined);
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec, reject, info) => {
          execs.push(info.command);
          if (info.command !== 'docker system dial-stdio') return reject();
          const channel = acceptExec();
          const upstream = connect(apiPort, '127.0.0.1');
          channel.pipe(upstream).pipe(channel);
          upstream.on('error', () => channel.destroy());
        });
      });
    });
    await new Promise<void>((resolve) => ssh.listen(0, '127.0.0.1', resolve));
    sshPort = (ssh.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => ssh.close(resolve));
    await new Promise((resolve) => api.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('collects through ssh when known_hosts holds the host key', async () => {
    const knownHosts = knownHostsFile('good_known_hosts', `[127.0.0.1]:${sshPort} ${hostPub}\n`);
    const endpoint = parseEndpoint(`ssh://tester@127.0.0.1:${sshPort}`, { env: {}, homeDir: dir, knownHostsFiles: [knownHosts] });
    served.length = 0;

    const collection = await collectEngine(endpoint, { all: true });

    expect(collection.engine).toMatchObject({ endpoint: `ssh://tester@127.0.0.1:${sshPort}`, transport: 'ssh' });
    expect(collection.containers.map((c) => c.facts?.name)).toEqual(['palisade-rec-hardened']);
    expect(served).toHaveLength(7);
    expect(served.every((line) => line.startsWith('GET '))).toBe(true);
    expect(new Set(execs)).toEqual(new Set(['docker system dial-stdio']));
  });

  it.each([
    ['changed', () => `[127.0.0.1]:${sshPort} ${strangerPub}\n`, /host key of \[127\.0\.0\.1\]:\d+ has changed/],
    ['unknown', () => `# nothing for this host\n`, /not in known_hosts/],
  ])('refuses a %s host key with a CollectError that says why', async (_case, content, why) => {
    const knownHosts = knownHostsFile(`bad_known_hosts_${_case}`, content());
    const endpoint = parseEndpoint(`ssh://tester@127.0.0.1:${sshPort}`, { env: {}, homeDir: dir, knownHostsFiles: [knownHosts] });
    served.length = 0;

    const collecting = collectEngine(endpoint);

    await expect(collecting).rejects.toBeInstanceOf(CollectError);
    await expect(collecting).rejects.toThrow(why);
    expect(served).toEqual([]);
  });
});
