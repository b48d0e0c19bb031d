// What the three version comparators share: their result type and the one
// error they throw, for a version string their package manager would refuse.
import { PalisadeError } from '../../errors.js';

import type { PackageFormat } from '../../model/facts.js';

/** `a` sorts before (-1), the same as (0) or after (1) `b`. */
export type Ordering = -1 | 0 | 1;

export function sign(n: number): Ordering {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

export class InvalidVersionError extends PalisadeError {
  readonly format: PackageFormat;
  readonly version: string;
  /** The package manager's own wording where it has one (`epoch in version is not number`). */
  readonly reason: string;

  constructor(format: PackageFormat, version: string, reason: string) {
    super(`invalid ${format} version ${JSON.stringify(version)}: ${reason}`);
    this.format = format;
    this.version = version;
    this.reason = reason;
  }
}
