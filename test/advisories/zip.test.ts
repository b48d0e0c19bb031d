import { describe, expect, it } from 'vitest';

import { crc32, openZip, ZipError } from '../../src/advisories/zip.js';
import type { ZipArchive } from '../../src/advisories/zip.js';
import { buildZip } from './zip-builder.js';

const RECORD = JSON.stringify({ id: 'DSA-5724-1', affected: [] });

function readAt(archive: ZipArchive, index: number): Buffer {
  const entry = archive.entries[index];
  if (!entry) throw new Error(`no entry ${index}`);
  return archive.read(entry);
}

function readAll(data: Buffer): Buffer[] {
  const archive = openZip(data);
  return archive.entries.map((entry) => archive.read(entry));
}

describe('src/advisories/zip', () => {
  it('computes the standard CRC-32', () => {
    const check = crc32(Buffer.from('123456789'));

    expect(check).toBe(0xcbf43926);
  });

  it('reads deflated and stored entries', () => {
    const data = buildZip([
      { name: 'DSA-5724-1.json', content: RECORD },
      { name: 'README', content: 'stored as is', method: 0 },
      { name: 'empty.json', content: '' },
    ]);

    const archive = openZip(data);

    expect(archive.entries.map((e) => [e.name, e.method, e.size])).toEqual([
      ['DSA-5724-1.json', 8, RECORD.length],
      ['README', 0, 12],
      ['empty.json', 8, 0],
    ]);
    expect(archive.entries.map((e) => archive.read(e).toString('utf8'))).toEqual([RECORD, 'stored as is', '']);
  });

  it('finds the end record behind an archive comment', () => {
    const data = buildZip([{ name: 'a.json', content: RECORD }], { comment: 'exported by osv.dev' });

    const archive = openZip(data);

    expect(readAt(archive, 0).toString()).toBe(RECORD);
  });

  it('reads the ZIP64 end records written past 65535 entries', () => {
    const data = buildZip(
      [
        { name: 'a.json', content: RECORD },
        { name: 'b.json', content: '{}' },
      ],
      { zip64: true },
    );

    const archive = openZip(data);

    expect(archive.entries.map((e) => e.name)).toEqual(['a.json', 'b.json']);
    expect(readAt(archive, 1).toString()).toBe('{}');
  });

  it.each([
    ['a file that is not an archive', Buffer.from('<html>503 Service Unavailable</html>'.repeat(3)), /no end of central directory/],
    ['an empty file', Buffer.alloc(0), /too short/],
    ['an archive cut short', buildZip([{ name: 'a.json', content: RECORD }]).subarray(10), /outside the archive|malformed|no local header/],
  ])('refuses %s', (_what, data, message) => {
    const opening = () => readAll(data);

    expect(opening).toThrow(ZipError);
    expect(opening).toThrow(message);
  });

  it('refuses an entry whose CRC-32 does not match', () => {
    const archive = openZip(buildZip([{ name: 'a.json', content: RECORD, crc32: 1 }]));

    const reading = () => readAt(archive, 0);

    expect(reading).toThrow(/fails its CRC-32 check/);
  });

  it('refuses encrypted entries', () => {
    const archive = openZip(buildZip([{ name: 'a.json', content: RECORD, flags: 0x0001 }]));

    const reading = () => readAt(archive, 0);

    expect(reading).toThrow(/is encrypted/);
  });

  it('refuses an entry larger than the limit before inflating it', () => {
    const archive = openZip(buildZip([{ name: 'bomb.json', content: Buffer.alloc(4096) }]), { maxEntrySize: 1024 });

    const reading = () => readAt(archive, 0);

    expect(reading).toThrow(/over the 1024-byte limit/);
  });
  it('refuses a deflated entry whose compression ratio marks a zip bomb, before inflating it', () => {
    const archive = openZip(buildZip([{ name: 'bomb.json', content: Buffer.alloc(8 * 1024 * 1024) }]));

    const reading = () => readAt(archive, 0);

    expect(reading).toThrow(/inflates \d+:1, over the limit of 200:1 \(a zip bomb\?\)/);
  });

  it('reads well-compressed JSON under the ratio limit', () => {
    const json = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ id: `DSA-${i}`, affected: [{ package: { name: `pkg${i % 97}` } }] })));
    const archive = openZip(buildZip([{ name: 'all.json', content: json }]));

    expect(readAt(archive, 0).toString('utf8')).toBe(json);
  });

  it('refuses reading more than the total uncompressed limit from one archive', () => {
    const entries = [0, 1, 2].map((i) => ({ name: `${i}.json`, content: Buffer.alloc(600, 32 + i) }));
    const archive = openZip(buildZip(entries), { maxTotalSize: 1024 });

    readAt(archive, 0);
    const reading = () => readAt(archive, 1);

    expect(reading).toThrow(/past 1 KiB uncompressed in total, the limit/);
  });
});
