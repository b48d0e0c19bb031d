// Records the Docker Engine API answers the collector asks for, per scenario,
// into fixtures/docker/api/<scenario>/ for the replay tests.
//
//   npx tsx scripts/record-docker-fixtures.ts [--socket /var/run/docker.sock]
//
// It creates containers with known postures from palisade-test/busybox:1 (all
// named palisade-rec-*), runs the real collector through a recording proxy on
// 127.0.0.1 that forwards to the engine's unix socket, and removes everything it
// made, also when it fails. The proxy refuses anything but GET, which doubles as
// a check that the collector never changes the engine.
//
// Saved bodies are the engine's, except that: environment values are replaced
// by `<redacted>` (empty values stay empty), and the container list and the
// bridge network are narrowed to the scenario's containers so that whatever
// else runs on the recording machine does not leak into the fixtures.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { collectEngine, type CollectOptions } from '../src/checkers/docker/collect.js';
import { parseEndpoint } from '../src/checkers/docker/endpoint.js';

const run = promisify(execFile);

const IMAGE = 'palisade-test/busybox:1';
const PREFIX = 'palisade-rec-';
const VOLUME = `${PREFIX}data`;
/** A made-up secret; it must never appear in a saved fixture. */
const TEST_SECRET = 'palisade-recorder-not-a-real-password';
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'docker', 'api');

const argv = process.argv.slice(2);
const socketAt = argv.indexOf('--socket');
const SOCKET = socketAt >= 0 && argv[socketAt + 1] ? argv[socketAt + 1]! : '/var/run/docker.sock';

/** `docker` arguments after the global `-H`; each posture reads as a user would type it. */
const CONTAINERS: Record<string, { create: 'run' | 'create'; args: string[] }> = {
  hardened: {
    create: 'run',
    args: [
      '--read-only',
      '--cap-drop', 'ALL',
      '--security-opt', 'no-new-privileges',
      '--memory', '64m',
      '--pids-limit', '64',
      '--cpus', '0.5',
      '--user', '65534:65534',
      '--restart', 'on-failure:3',
      '-p', '127.0.0.1:48080:8080/tcp',
      '--mount', 'type=tmpfs,destination=/tmp',
      '--mount', `type=volume,source=${VOLUME},destination=/data,readonly`,
      // An hour-long interval keeps the first probe (and its exec) out of /top.
      '--health-cmd', '/bin/sleep 0',
      '--health-interval', '1h',
      '-e', 'APP_MODE=production',
    ],
  },
  risky: {
    create: 'run',
    args: [
      '--cap-add', 'SYS_ADMIN',
      '--cap-add', 'NET_ADMIN',
      '--pid', 'host',
      '--security-opt', 'seccomp=unconfined',
      '-v', '/var/run/docker.sock:/var/run/docker.sock',
      '-e', `DB_PASSWORD=${TEST_SECRET}`,
      '-e', 'EMPTY_SETTING=',
      '-p', '0.0.0.0:48081:8080/tcp',
      '--no-healthcheck',
    ],
  },
  // Privileged containers cannot start on the recording kernel; created is enough.
  privileged: { create: 'create', args: ['--privileged'] },
  compose: {
    create: 'run',
    args: [
      '--label', 'com.docker.compose.project=palisade-rec',
      '--label', 'com.docker.compose.service=web',
      '--label', 'com.docker.compose.project.working_dir=/srv/palisade-rec',
      '--label', 'com.docker.compose.project.config_files=/srv/palisade-rec/compose.yaml,/srv/palisade-rec/compose.override.yaml',
      '--label', 'com.docker.compose.container-number=1',
      '--label', 'com.docker.compose.oneoff=False',
      '--entrypoint', '/bin/sh',
      IMAGE, '-c', '/bin/sleep 3600 & exec /bin/sleep 3601',
    ],
  },
  // Removed by the proxy after the list is answered, so its inspect really 404s.
  gone: { create: 'run', args: [] },
};

interface Scenario {
  containers: string[];
  options: CollectOptions;
  /** Containers removed between the list and the inspects. */
  vanish?: string[];
}

const SCENARIOS: Record<string, Scenario> = {
  hardened: { containers: ['hardened'], options: { all: true } },
  risky: { containers: ['risky'], options: { all: true } },
  privileged: { containers: ['privileged'], options: { all: true } },
  compose: { containers: ['compose'], options: { all: true } },
  mixed: { containers: ['hardened', 'risky', 'privileged', 'compose'], options: { all: true } },
  running: { containers: ['hardened', 'risky', 'privileged', 'compose'], options: {} },
  vanishing: { containers: ['hardened', 'gone'], options: {}, vanish: ['gone'] },
};

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run('docker', ['-H', `unix://${SOCKET}`, ...args], { env: { ...process.env, DOCKER_HOST: '' } });
  return stdout.trim();
}

async function cleanUp(): Promise<void> {
  const listed = await docker('ps', '-a', '--filter', `name=${PREFIX}`, '--format', '{{.ID}} {{.Names}}');
  const ids = listed
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([, containerName]) => containerName?.startsWith(PREFIX))
    .map(([id]) => id!);
  if (ids.length > 0) await docker('rm', '-f', '-v', ...ids);
  await docker('volume', 'rm', '-f', VOLUME);
}

async function createAll(): Promise<void> {
  for (const [name, spec] of Object.entries(CONTAINERS)) {
    const args = spec.create === 'run' ? ['run', '-d'] : ['create'];
    // Posture args carry the image themselves when they need a command after it.
    const tail = spec.args.includes(IMAGE) ? spec.args : [...spec.args, IMAGE];
    await docker(...args, '--name', `${PREFIX}${name}`, ...tail);
  }
}

interface Recording {
  request: { method: string; path: string; query: Record<string, string> };
  status: number;
  body: unknown;
}

function redactEnv(body: unknown): void {
  for (const holder of [(body as { Config?: { Env?: unknown } } | null)?.Config, (body as { ContainerConfig?: { Env?: unknown } } | null)?.ContainerConfig]) {
    if (holder && Array.isArray(holder.Env)) {
      holder.Env = holder.Env.map((entry: unknown) => {
        if (typeof entry !== 'string') return entry;
        const eq = entry.indexOf('=');
        return eq < 0 || eq === entry.length - 1 ? entry : `${entry.slice(0, eq)}=<redacted>`;
      });
    }
  }
}

/** A recording proxy for one scenario. */
async function recordScenario(name: string, scenario: Scenario): Promise<number> {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const wanted = new Set(scenario.containers.map((c) => `/${PREFIX}${c}`));
  const names = new Map<string, string>(); // container ID -> short scenario name
  let saved = 0;

  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET') throw new Error(`collector sent ${req.method} ${req.url}; only GET is allowed`);
      const url = new URL(req.url ?? '/', 'http://recorder');
      const { status, body } = await forward(req.url ?? '/');
      const path = url.pathname;
      let file: string;
      let out = body;
      if (path === '/info') file = 'info.json';
      else if (path === '/version') file = 'version.json';
      else if (path === '/networks/bridge') {
        file = 'network-bridge.json';
        const net = out as { Containers?: Record<string, unknown> };
        net.Containers = Object.fromEntries(Object.entries(net.Containers ?? {}).filter(([id]) => names.has(id)));
      } else if (path === '/containers/json') {
        file = 'containers.json';
        out = (out as { Id: string; Names: string[] }[]).filter((c) => c.Names.some((n) => wanted.has(n)));
        for (const c of out as { Id: string; Names: string[] }[]) names.set(c.Id, (c.Names[0] ?? '').slice(1 + PREFIX.length));
        for (const gone of scenario.vanish ?? []) await docker('rm', '-f', `${PREFIX}${gone}`);
      } else {
        const m = /^\/(containers|images)\/([^/]+)\/(json|top)$/.exec(path);
        if (!m) throw new Error(`unexpected request ${req.url}`);
        const id = decodeURIComponent(m[2]!);
        if (m[1] === 'images') file = `image-${id.replace(/^sha256:/, '').slice(0, 12)}.json`;
        else file = `${m[3] === 'top' ? 'top' : 'container'}-${names.get(id) ?? id.slice(0, 12)}.json`;
        redactEnv(out);
      }
      const recording: Recording = {
        request: { method: 'GET', path, query: Object.fromEntries(url.searchParams) },
        status,
        body: out,
      };
      const text = `${JSON.stringify(recording, null, 2)}\n`;
      if (text.includes(TEST_SECRET)) throw new Error(`refusing to save ${file}: it holds the test secret`);
      writeFileSync(join(dir, file), text);
      saved++;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(out));
    })().catch((error: unknown) => {
      console.error(`recorder: ${(error as Error).message}`);
      res.writeHead(599).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await collectEngine(parseEndpoint(`tcp://127.0.0.1:${port}`, { env: {} }), scenario.options);
  } finally {
    server.close();
  }
  return saved;
}

function forward(path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: SOCKET, path, method: 'GET', headers: { Host: 'docker' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(): Promise<void> {
  await docker('image', 'inspect', '--format', '{{.Id}}', IMAGE);
  await cleanUp();
  try {
    await createAll();
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      const saved = await recordScenario(name, scenario);
      console.error(`recorded ${name}: ${saved} responses`);
      // Recreate what the scenario removed, for the scenarios after it.
      for (const gone of scenario.vanish ?? []) {
        await docker('run', '-d', '--name', `${PREFIX}${gone}`, ...CONTAINERS[gone]!.args, IMAGE);
      }
    }
  } finally {
    await cleanUp();
  }
}

await main();
