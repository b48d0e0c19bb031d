// A minimal ZIP reader for OSV's per-ecosystem `all.zip` archives: the central
// directory (with ZIP64 extensions, which Python's zipfile writes past 65535
// entries or 4 GiB), stored and deflated entries, CRC-32 checked. Nothing
// else: no encryption, no multi-disk archives, no other compression methods.
// Format: PKWARE APPNOTE.TXT 6.3, sections 4.3 (structure) and 4.5 (extra fields).
import { inflateRawSync } from 'node:zlib';

import { PalisadeError } from '../errors.js';
import { LIMITS, formatBytes } from '../lib/limits.js';

export class ZipError extends PalisadeError {}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  /** Offset of the entry's local file header. */
  localHeaderOffset: number;
  flags: number;
}

export interface ZipArchive {
  entries: ZipEntry[];
  /** The entry's bytes, inflated and CRC-checked. */
  read(entry: ZipEntry): Buffer;
}

export interface OpenZipOptions {
  /** Refuse entries whose uncompressed size exceeds this (default 64 MiB): a guard against zip bombs. */
  maxEntrySize?: number;
  /** Refuse reading more than this, uncompressed, from one archive in total (default LIMITS.advisoryArchiveUncompressedBytes). */
  maxTotalSize?: number;
  /** Refuse a deflated entry over 1 MiB that is more than this many times its compressed size (default LIMITS.zipMaxRatio). */
  maxRatio?: number;
}

// Entries this small are never refused for their ratio: a tiny file of one repeated byte is no bomb.
const RATIO_FLOOR = 1024 * 1024;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_EXTRA = 0x0001;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function u64(data: Buffer, offset: number): number {
  const value = data.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError(`ZIP64 field at offset ${offset} is too large`);
  return Number(value);
}

function findEndOfCentralDirectory(data: Buffer): number {
  const lowest = Math.max(0, data.length - EOCD_SIZE - MAX_COMMENT);
  let fallback = -1;
  for (let at = data.length - EOCD_SIZE; at >= lowest; at--) {
    if (data.readUInt32LE(at) !== EOCD) continue;
    // The comment length must reach the end exactly; a stray signature inside a comment would not.
    if (at + EOCD_SIZE + data.readUInt16LE(at + 20) === data.length) return at;
    if (fallback < 0) fallback = at;
  }
  if (fallback >= 0) return fallback;
  throw new ZipError('not a ZIP archive (no end of central directory record)');
}

interface Directory {
  count: number;
  size: number;
  offset: number;
}

function readDirectoryLocation(data: Buffer, eocd: number): Directory {
  const disk = data.readUInt16LE(eocd + 4);
  const cdDisk = data.readUInt16LE(eocd + 6);
  let count = data.readUInt16LE(eocd + 10);
  let size = data.readUInt32LE(eocd + 12);
  let offset = data.readUInt32LE(eocd + 16);
  const locator = eocd - 20;
  if (locator >= 0 && data.readUInt32LE(locator) === ZIP64_LOCATOR) {
    const at = u64(data, locator + 8);
    if (at + 56 > data.length || data.readUInt32LE(at) !== ZIP64_EOCD) {
      throw new ZipError('ZIP64 end of central directory record is missing');
    }
    if (data.readUInt32LE(at + 16) !== 0 || data.readUInt32LE(at + 20) !== 0) {
      throw new ZipError('multi-disk ZIP archives are not supported');
    }
    count = u64(data, at + 32);
    size = u64(data, at + 40);
    offset = u64(data, at + 48);
  } else if (disk !== 0 || cdDisk !== 0) {
    throw new ZipError('multi-disk ZIP archives are not supported');
  }
  if (offset + size > data.length) throw new ZipError('central directory lies outside the archive (truncated?)');
  return { count, size, offset };
}

function readCentralDirectory(data: Buffer, dir: Directory): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let at = dir.offset;
  const end = dir.offset + dir.size;
  for (let i = 0; i < dir.count; i++) {
    if (at + 46 > end || data.readUInt32LE(at) !== CENTRAL) {
      throw new ZipError(`central directory entry ${i} is malformed`);
    }
    const flags = data.readUInt16LE(at + 8);
    const method = data.readUInt16LE(at + 10);
    const crc = data.readUInt32LE(at + 16);
    let compressedSize = data.readUInt32LE(at + 20);
    let size = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    let localHeaderOffset = data.readUInt32LE(at + 42);
    const nameStart = at + 46;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > end) throw new ZipError(`central directory entry ${i} is truncated`);
    const name = data.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1', nameStart, extraStart);

    // ZIP64 extended information: only the fields saturated in the fixed header, in this order.
    for (let x = extraStart; x + 4 <= extraStart + extraLength; ) {
      const id = data.readUInt16LE(x);
      const length = data.readUInt16LE(x + 2);
      if (id === ZIP64_EXTRA) {
        let field = x + 4;
        if (size === 0xffffffff) {
          size = u64(data, field);
          field += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(data, field);
          field += 8;
        }
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(data, field);
      }
      x += 4 + length;
    }
    entries.push({ name, method, compressedSize, size, crc32: crc, localHeaderOffset, flags });
    at = next;
  }
  return entries;
}

/** Reads the central directory of a ZIP archive held in memory. Throws {@link ZipError} if it is not one. */
export function openZip(data: Buffer, options: OpenZipOptions = {}): ZipArchive {
  const maxEntrySize = options.maxEntrySize ?? 64 * 1024 * 1024;
  if (data.length < EOCD_SIZE) throw new ZipError('not a ZIP archive (too short)');
  const maxTotalSize = options.maxTotalSize ?? LIMITS.advisoryArchiveUncompressedBytes;
  const maxRatio = options.maxRatio ?? LIMITS.zipMaxRatio;
  const entries = readCentralDirectory(data, readDirectoryLocation(data, findEndOfCentralDirectory(data)));
  let totalRead = 0;

  function read(entry: ZipEntry): Buffer {
    const where = `entry ${JSON.stringify(entry.name)}`;
    if (entry.flags & FLAG_ENCRYPTED) throw new ZipError(`${where} is encrypted`);
    if (entry.size > maxEntrySize) throw new ZipError(`${where} is ${entry.size} bytes, over the ${maxEntrySize}-byte limit`);
    if (entry.method === 8 && entry.size > RATIO_FLOOR && entry.size > entry.compressedSize * maxRatio) {
      const ratio = Math.round(entry.size / Math.max(entry.compressedSize, 1));
      throw new ZipError(`${where} inflates ${ratio}:1, over the limit of ${maxRatio}:1 (a zip bomb?)`);
    }
    if (totalRead + entry.size > maxTotalSize) {
      throw new ZipError(`${where} would take the archive past ${formatBytes(maxTotalSize)} uncompressed in total, the limit`);
    }
    totalRead += entry.size;
    const at = entry.localHeaderOffset;
    if (at + 30 > data.length || data.readUInt32LE(at) !== LOCAL) throw new ZipError(`${where} has no local header`);
    const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
    const stop = start + entry.compressedSize;
    if (stop > data.length) throw new ZipError(`${where} is truncated`);
    const raw = data.subarray(start, stop);
    let content: Buffer;
    if (entry.method === 0) content = Buffer.from(raw);
    else if (entry.method === 8) {
      try {
        content = inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) });
      } catch (error) {
        throw new ZipError(`${where} does not inflate to its declared ${entry.size} bytes`, { cause: error });
      }
    } else throw new ZipError(`${where} uses compression method ${entry.method}; only stored and deflated are supported`);
    if (content.length !== entry.size) throw new ZipError(`${where} is ${content.length} bytes, not the declared ${entry.size}`);
    if (crc32(content) !== entry.crc32) throw new ZipError(`${where} fails its CRC-32 check`);
    return content;
  }

  return { entries, read };
}
