// Paths named by untrusted files (policy `extends`, ssh config `Include`)
// may only lead inside folders palisade chose; `..` and symlinks are resolved
// before the comparison, so neither can step outside.
import { realpathSync } from 'node:fs';
import path from 'node:path';

/** The real path of `p` (symlinks followed), or `p` resolved when it does not exist. */
export function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** True when the real path of `p` is `root` or below it (`root` is taken as a real path). */
export function isInside(root: string, p: string): boolean {
  const relative = path.relative(root, realPath(p));
  return relative === '' || (relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
}
