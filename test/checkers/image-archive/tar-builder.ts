// Builds small tar archives in memory for the image archive tests (ustar
// headers, optional pax `path` records), so no binary fixture is needed.
import { createHash } from 'node:crypto';

export interface TarInput {
  name: string;
  content: string | Buffer;
  /** Store the name in a pax extended header (for names over 100 bytes). */
  pax?: boolean;
  /** Type flag; '0' (regular file) by default. */
  type?: string;
}

function header(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(512, 0);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function padded(data: Buffer): Buffer {
  const rest = data.length % 512;
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)]);
}

export function buildTar(entries: readonly TarInput[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
    if (e.pax) {
      const body = ` path=${e.name}\n`;
      let length = body.length + 1;
      while (String(length).length + body.length !== length) length = String(length).length + body.length;
      const pax = Buffer.from(`${length}${body}`);
      parts.push(header('PaxHeader', pax.length, 'x'), padded(pax));
      parts.push(header('truncated-name', data.length, e.type ?? '0'), padded(data));
    } else {
      parts.push(header(e.name, data.length, e.type ?? '0'), padded(data));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** An image config as `docker save` writes it. */
export function imageConfig(config: Record<string, unknown>, created = '2026-10-01T00:00:00Z'): string {
  return JSON.stringify({ architecture: 'amd64', os: 'linux', created, config, rootfs: { type: 'layers', diff_ids: [] } });
}
