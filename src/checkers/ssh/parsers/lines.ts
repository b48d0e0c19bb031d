// Line helpers shared by the probe parsers. Output comes from a host and may be
// truncated or mixed with junk, so every parser works line by line and skips
// what it does not recognise.

/** Lines of `text` without their `\n` (or `\r\n`). A trailing newline adds no empty line. */
export function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Whitespace-separated fields of a line. */
export function fields(line: string): string[] {
  const trimmed = line.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

/** A base-10 integer that is exactly `text`, or undefined. */
export function integer(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** Architectures rpm, dnf and zypper print after the last dot of `name.arch`. */
export const RPM_ARCHES: ReadonlySet<string> = new Set([
  'noarch',
  'x86_64',
  'i386',
  'i486',
  'i586',
  'i686',
  'athlon',
  'aarch64',
  'armv7hl',
  'armv7l',
  'armv6hl',
  'ppc64le',
  'ppc64',
  'ppc',
  's390x',
  's390',
  'riscv64',
  'src',
  'nosrc',
]);

/** Splits `name.arch` when the suffix is a known architecture. */
export function splitNameArch(text: string): { name: string; arch?: string } {
  const dot = text.lastIndexOf('.');
  if (dot > 0) {
    const arch = text.slice(dot + 1);
    if (RPM_ARCHES.has(arch)) return { name: text.slice(0, dot), arch };
  }
  return { name: text };
}
