// A simulated SSH fleet for the benchmark: one ssh2 Server answering on many
// loopback addresses (one port, one listener per address, as a real fleet has
// one sshd per host), with one host key and one authorized public key. It
// answers `sh -s` (palisade's probe; the script arrives on stdin) with a
// captured probe output once stdin reaches EOF, and `true` (the floor's
// `ssh host true`) with exit 0. Anything else exits 127. Runs no command.
//
// Run by bench/ssh-fleet.ts as a child process with an IPC channel: it sends
// { type: 'ready', port } once every address listens, and answers
// { type: 'stats' } with its CPU time and counters. Standalone, it prints the
// port on stdout. Binds only the 127.0.0.0/8 addresses it is given.
//
// Usage: tsx bench/ssh-server.ts --host-key FILE --authorized-key FILE.pub
//          --user NAME --probe FILE --addresses FILE [--port N]
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { timingSafeEqual } from 'node:crypto';

import ssh2, { type AuthContext, type Connection, type ParsedKey, type ServerChannel } from 'ssh2';

export interface ServerStats {
  type: 'stats';
  cpuUserMs: number;
  cpuSystemMs: number;
  connections: number;
  authenticated: number;
  probes: number;
  trues: number;
  rejected: number;
  errors: number;
}

export type ServerMessage = { type: 'ready'; port: number; addresses: number } | ServerStats | { type: 'error'; message: string };

function arg(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (value === undefined) throw new Error(`ssh-server: --${name} is required`);
  return value;
}

function optionalArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function isLoopback(address: string): boolean {
  return net.isIPv4(address) && address.startsWith('127.');
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const counters = { connections: 0, authenticated: 0, probes: 0, trues: 0, rejected: 0, errors: 0 };

function send(message: ServerMessage): void {
  if (process.send) process.send(message);
}

function loadAuthorizedKey(file: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(readFileSync(file));
  if (parsed instanceof Error) throw new Error(`ssh-server: cannot parse ${file}: ${parsed.message}`);
  const key = Array.isArray(parsed) ? (parsed as ParsedKey[])[0] : parsed;
  if (!key) throw new Error(`ssh-server: no key in ${file}`);
  return key;
}

function authenticate(ctx: AuthContext, user: Buffer, allowed: ParsedKey, allowedBlob: Buffer): void {
  if (ctx.method !== 'publickey' || !sameBytes(Buffer.from(ctx.username), user)) {
    counters.rejected++;
    ctx.reject(['publickey']);
    return;
  }
  if (ctx.key.algo !== allowed.type || !sameBytes(ctx.key.data, allowedBlob)) {
    counters.rejected++;
    ctx.reject(['publickey']);
    return;
  }
  // Without a signature the client only asks whether the key would do.
  if (ctx.signature && (!ctx.blob || allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true)) {
    counters.rejected++;
    ctx.reject(['publickey']);
    return;
  }
  ctx.accept();
}

function answer(stream: ServerChannel, command: string, probeOutput: Buffer): void {
  if (command === 'sh -s') {
    counters.probes++;
    // Read the whole script (to EOF) before answering, as sh would.
    stream.on('data', () => undefined);
    stream.once('end', () => {
      stream.write(probeOutput);
      stream.exit(0);
      stream.end();
    });
    return;
  }
  if (command === 'true') {
    counters.trues++;
    stream.exit(0);
    stream.end();
    return;
  }
  stream.stderr.write(`ssh-server: ${command.slice(0, 40)}: command not simulated\n`);
  stream.exit(127);
  stream.end();
}

function serve(): void {
  const hostKey = readFileSync(arg('host-key'));
  const allowed = loadAuthorizedKey(arg('authorized-key'));
  const allowedBlob = allowed.getPublicSSH();
  const user = Buffer.from(arg('user'));
  const probeOutput = readFileSync(arg('probe'));
  const addresses = readFileSync(arg('addresses'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const bad = addresses.find((a) => !isLoopback(a));
  if (bad !== undefined) throw new Error(`ssh-server: ${bad} is not a 127.0.0.0/8 address`);
  if (addresses.length === 0) throw new Error('ssh-server: no addresses');

  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client: Connection) => {
    counters.connections++;
    client.on('error', () => {
      counters.errors++;
    });
    client.on('authentication', (ctx) => authenticate(ctx, user, allowed, allowedBlob));
    client.on('ready', () => {
      counters.authenticated++;
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (acceptExec, _reject, info) => answer(acceptExec(), info.command, probeOutput));
      });
    });
  });

  // One ssh2 Server behind many listeners: each listener hands its sockets over.
  const listen = (address: string, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      // No Nagle on the server side: otherwise its small packets wait for the
      // client's delayed ACK (40 ms a round) and the fleet, not the client, sets the pace.
      const listener = net.createServer((socket) => {
        socket.setNoDelay(true);
        server.injectSocket(socket);
      });
      listener.once('error', reject);
      listener.listen({ host: address, port, backlog: 1024 }, () => {
        const bound = listener.address();
        resolve(typeof bound === 'object' && bound ? bound.port : port);
      });
    });

  void (async () => {
    const first = addresses[0] as string;
    const port = await listen(first, Number(optionalArg('port') ?? '0'));
    for (const address of addresses.slice(1)) await listen(address, port);
    if (process.send) send({ type: 'ready', port, addresses: addresses.length });
    else process.stdout.write(`listening on ${addresses.length} addresses, port ${port}\n`);
  })().catch((error: unknown) => {
    send({ type: 'error', message: (error as Error).message });
    console.error(error);
    process.exit(1);
  });

  process.on('message', (message: unknown) => {
    if ((message as { type?: string }).type !== 'stats') return;
    const cpu = process.cpuUsage();
    send({ type: 'stats', cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, ...counters });
  });
  // The bench is gone: so are we.
  process.on('disconnect', () => process.exit(0));
  // An orderly exit on signals, so that node --cpu-prof writes its profile.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
}

serve();
