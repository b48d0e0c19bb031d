// A minimal, read-only tar index: walks the 512-byte headers of a file
// (ustar, GNU long names, pax `path`) and records where each regular file's
// data lies, skipping the data itself, so a multi-gigabyte `docker save`
// tarball is listed by reading only its headers. Entries are read on demand
// with a size cap. No extraction, no links followed, nothing written.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const BLOCK = 512;

export interface TarEntry {
  /** Path inside the archive, without a leading `./`. */
  name: string;
  /** Byte offset of the data in the file. */
  offset: number;
  size: number;
}

export interface TarLimits {
  /** Most entries listed before the archive is refused. */
  maxEntries: number;
  /** Largest long-name or pax header read. */
  maxHeaderBytes: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = { maxEntries: 200_000, maxHeaderBytes: 1 << 20 };

export class TarFormatError extends Error {}

function cString(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? slice.length : nul).toString('utf8');
}

/** Octal, or GNU base-256 for sizes over 8 GiB. */
function size(buf: Buffer): number {
  const field = buf.subarray(124, 136);
  if ((field[0] ?? 0) & 0x80) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  const text = cString(buf, 124, 12).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad size field ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  const stored = cString(header, 148, 8).trim();
  return stored !== '' && parseInt(stored, 8) === sum;
}

function paxPath(text: string): string | undefined {
  // Records are "<len> key=value\n".
  for (const record of text.split('\n')) {
    const m = /^\d+ path=(.*)$/s.exec(record);
    if (m) return m[1];
  }
  return undefined;
}

function clean(name: string): string {
  return name.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
}

/** An open tar file: its regular files by name. */
export class TarFile {
  readonly entries = new Map<string, TarEntry>();

  private constructor(
    private readonly fd: number,
    readonly file: string,
  ) {}

  static open(file: string, limits: TarLimits = DEFAULT_TAR_LIMITS): TarFile {
    const fd = openSync(file, 'r');
    const tar = new TarFile(fd, file);
    try {
      tar.index(fstatSync(fd).size, limits);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return tar;
  }

  private readAt(offset: number, length: number): Buffer {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, offset + done);
      if (n === 0) throw new TarFormatError(`unexpected end of archive at byte ${offset + done}`);
      done += n;
    }
    return buf;
  }

  private index(total: number, limits: TarLimits): void {
    let offset = 0;
    let longName: string | undefined;
    while (offset + BLOCK <= total) {
      const header = this.readAt(offset, BLOCK);
      if (header.every((b) => b === 0)) return;
      if (!checksumOk(header)) throw new TarFormatError(`bad header checksum at byte ${offset} (not a tar archive?)`);
      const length = size(header);
      const type = String.fromCharCode(header[156] ?? 0);
      const dataAt = offset + BLOCK;
      if (dataAt + length > total) throw new TarFormatError(`entry at byte ${offset} runs past the end of the archive`);
      if (type === 'L' || type === 'x') {
        if (length > limits.maxHeaderBytes) throw new TarFormatError(`extended header of ${length} bytes at byte ${offset} is too large`);
        const text = this.readAt(dataAt, length).toString('utf8');
        longName = type === 'L' ? text.replace(/\0+$/, '') : (paxPath(text) ?? longName);
      } else if (type === 'g') {
        // Global pax header: nothing palisade needs.
      } else {
        const prefix = cString(header, 345, 155);
        const name = clean(longName ?? (prefix !== '' ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100)));
        longName = undefined;
        if (type === '0' || type === '\0' || type === '7') {
          if (this.entries.size >= limits.maxEntries) throw new TarFormatError(`more than ${limits.maxEntries} entries`);
          this.entries.set(name, { name, offset: dataAt, size: length });
        }
      }
      offset = dataAt + Math.ceil(length / BLOCK) * BLOCK;
    }
  }

  /** An entry's bytes; refuses entries over `maxBytes`. */
  read(name: string, maxBytes: number): Buffer | undefined {
    const entry = this.entries.get(clean(name));
    if (entry === undefined) return undefined;
    if (entry.size > maxBytes) throw new TarFormatError(`${entry.name} is ${entry.size} bytes, over the ${maxBytes}-byte limit for metadata`);
    return this.readAt(entry.offset, entry.size);
  }

  close(): void {
    closeSync(this.fd);
  }
}
