// Installed kernels: `boot vmlinuz-<release>` and `modules <release>` lines.
// Releases compare like rpm versions (rpmvercmp), which orders
// `6.1.0-21-amd64` after `6.1.0-18-amd64` and `5.14.0-427.13.1.el9_4.x86_64`
// after `5.14.0-362.24.1.el9_3.x86_64`.
import { rpmvercmp } from '../../../lib/versions/index.js';
import { fields, lines } from './lines.js';

const RELEASE = /^\d[\w.+~-]*$/;

/** Kernel releases found, deduplicated, in the order seen. Unversioned images (`vmlinuz-lts`) and rescue images are left out. */
export function parseKernels(text: string): string[] {
  const out = new Set<string>();
  for (const line of lines(text)) {
    const [tag, value] = fields(line);
    if (value === undefined) continue;
    let release: string | undefined;
    if (tag === 'boot') release = /^(?:vmlinuz|vmlinux|Image)-(.+)$/.exec(value)?.[1];
    else if (tag === 'modules') release = value;
    if (release && RELEASE.test(release) && !release.includes('rescue')) out.add(release);
  }
  return [...out];
}

export function newestKernel(releases: readonly string[]): string | undefined {
  let newest: string | undefined;
  for (const release of releases) if (newest === undefined || rpmvercmp(release, newest) > 0) newest = release;
  return newest;
}
