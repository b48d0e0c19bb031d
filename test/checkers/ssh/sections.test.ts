import { describe, expect, it } from 'vitest';

import { splitProbeOutput } from '../../../src/checkers/ssh/sections.js';
import { probe, probeText } from './fixtures.js';

function probeOf(...parts: string[]): string {
  return ['@@palisade:probe:1', ...parts, '@@palisade:done', ''].join('\n');
}

describe('src/checkers/ssh/sections', () => {
  it('splits sections with their exit code, stdout and stderr', () => {
    const text = probeOf(
      '',
      '@@palisade:begin:uname:user',
      '6.1.0-18-amd64',
      '@@palisade:err:uname: warning',
      'x86_64',
      '',
      '@@palisade:end:uname:0',
      '',
      '@@palisade:begin:sshd:sudo',
      '@@palisade:err:sudo: a password is required',
      '',
      '@@palisade:end:sshd:1',
    );

    const result = splitProbeOutput(text);

    expect(result.started).toBe(true);
    expect(result.finished).toBe(true);
    expect(result.sections.get('uname')).toEqual({
      name: 'uname',
      how: 'user',
      rc: 0,
      output: '6.1.0-18-amd64\nx86_64\n',
      stderr: 'uname: warning',
      complete: true,
    });
    expect(result.sections.get('sshd')).toMatchObject({ how: 'sudo', rc: 1, output: '', stderr: 'sudo: a password is required' });
  });

  it('keeps output that does not end in a newline as it was', () => {
    const text = probeOf('@@palisade:begin:id:user', '0', '@@palisade:end:id:0');

    const result = splitProbeOutput(text);

    expect(result.sections.get('id')?.output).toBe('0');
  });

  it('reports a skipped section without an exit code', () => {
    const text = probeOf('@@palisade:begin:sshd:skipped', '', '@@palisade:end:sshd:-');

    const section = splitProbeOutput(text).sections.get('sshd');

    expect(section).toMatchObject({ how: 'skipped', rc: undefined, output: '', complete: true });
  });

  it('closes a section whose end marker is missing at the next begin marker', () => {
    const text = probeOf('@@palisade:begin:id:user', '0', '@@palisade:begin:uname:user', '6.1.0', '@@palisade:end:uname:0');

    const result = splitProbeOutput(text);

    expect(result.sections.get('id')).toMatchObject({ rc: undefined, complete: false, output: '0' });
    expect(result.sections.get('uname')).toMatchObject({ rc: 0, complete: true });
    expect(result.warnings).toContain('section id has no end marker');
  });

  it('keeps the first of a repeated section and ignores stray end markers', () => {
    const text = probeOf(
      '@@palisade:begin:os-release:user',
      'ID=debian',
      '@@palisade:end:os-release:0',
      '@@palisade:end:os-release:0',
      '@@palisade:begin:os-release:user',
      'ID=alpine',
      '@@palisade:end:os-release:0',
    );

    const result = splitProbeOutput(text);

    expect(result.sections.get('os-release')?.output).toBe('ID=debian');
    expect(result.warnings).toEqual(['stray end marker for section os-release', 'section os-release repeated; the first one is kept']);
  });

  it.each([
    ['a malformed begin marker', '@@palisade:begin:BAD NAME:user'],
    ['a non-numeric exit code', '@@palisade:end:id:abc'],
    ['an unknown marker', '@@palisade:bogus'],
  ])('treats %s as ordinary output', (_label, line) => {
    const text = probeOf('@@palisade:begin:id:user', line, '@@palisade:end:id:0');

    const result = splitProbeOutput(text);

    expect(result.sections.get('id')?.output).toBe(line);
  });

  it('reads CRLF markers', () => {
    const text = '@@palisade:probe:1\r\n@@palisade:begin:id:user\r\n0\r\n@@palisade:end:id:0\r\n@@palisade:done\r\n';

    const result = splitProbeOutput(text);

    expect(result.sections.get('id')).toMatchObject({ rc: 0, output: '0\r' });
    expect(result.finished).toBe(true);
  });

  it('ignores whatever follows the end of the probe', () => {
    const text = `${probeOf('@@palisade:begin:id:user', '0', '@@palisade:end:id:0')}@@palisade:begin:sshd:root\nport 22\n@@palisade:end:sshd:0\n`;

    const result = splitProbeOutput(text);

    expect([...result.sections.keys()]).toEqual(['id']);
    expect(result.warnings).toEqual(['output after the probe ended was ignored']);
  });

  it('returns nothing, without throwing, for output that is not a probe at all', () => {
    const text = 'Permission denied (publickey).\n\x00\xff garbage';

    const result = splitProbeOutput(text);

    expect(result).toEqual({ sections: new Map(), started: false, finished: false, warnings: [] });
  });

  it('reads the garbage fixture: banner, binary junk, repeated and malformed markers', () => {
    const result = probe('bad/garbage');

    expect(result.started).toBe(true);
    expect(result.finished).toBe(true);
    expect(result.sections.get('os-release')?.output).toContain('ID=debian');
    expect(result.sections.get('id')).toMatchObject({ complete: false, rc: undefined });
    expect(result.sections.get('packages-dpkg')).toMatchObject({ complete: false });
    expect(result.sections.get('updates-apt')).toMatchObject({ rc: 139, stderr: 'Segmentation fault' });
    expect(result.sections.has('world-writable')).toBe(false);
  });

  it('reads a truncated probe up to where it stops', () => {
    const result = probe('bad/truncated');

    expect(result.finished).toBe(false);
    expect(result.sections.get('os-release')).toMatchObject({ rc: 0, complete: true });
    expect(result.sections.get('packages-dpkg')).toMatchObject({ rc: undefined, complete: false });
    expect(result.sections.has('updates-apt')).toBe(false);
  });

  it('handles about 20 MB of junk in linear time', () => {
    const junkLine = '@@palisade:xx junk line with @@palisade:err: inside and \t tabs 0123456789\n';
    const junk = junkLine.repeat(Math.ceil((20 * 1024 * 1024) / junkLine.length));
    const realSection = probeText('debian-12');
    const errLines = '@@palisade:err:warning\n'.repeat(50_000);
    const text = `${junk}${realSection.replace('@@palisade:begin:sshd:root\n', `@@palisade:begin:sshd:root\n${errLines}${junk}`)}${junk}`;

    const started = performance.now();
    const result = splitProbeOutput(text);
    const elapsed = performance.now() - started;

    expect(text.length).toBeGreaterThan(60 * 1024 * 1024);
    expect(elapsed).toBeLessThan(5_000);
    expect(result.sections.get('packages-dpkg')?.output).toBe(probe('debian-12').sections.get('packages-dpkg')?.output);
    expect(result.sections.get('sshd')?.output.length).toBeGreaterThan(20 * 1024 * 1024);
    expect(result.sections.get('sshd')?.stderr.split('\n').filter((l) => l === 'warning')).toHaveLength(50_000);
    expect(result.finished).toBe(true);
  });
});
