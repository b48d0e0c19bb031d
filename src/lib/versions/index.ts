// One entry point to the three distribution version orders, keyed by the
// package format a host reports (`HostFacts.packageFormat`).
import { compareApk, isValidApk } from './apk.js';
import { InvalidVersionError } from './common.js';
import type { Ordering } from './common.js';
import { compareDpkg, isValidDpkg } from './dpkg.js';
import { compareEvr, parseEvr } from './rpm.js';

import type { PackageFormat } from '../../model/facts.js';

export type VersionFormat = PackageFormat;

export { InvalidVersionError, sign } from './common.js';
export type { Ordering } from './common.js';
export { assertValidApk, compareApk, isValidApk } from './apk.js';
export { compareDpkg, compareDpkgVersions, isValidDpkg, parseDpkg } from './dpkg.js';
export type { DpkgVersion, ParseDpkgOptions } from './dpkg.js';
export { compareEvr, compareEvrParsed, parseEvr, rpmvercmp } from './rpm.js';
export type { RpmEvr } from './rpm.js';

const COMPARATORS: Readonly<Record<VersionFormat, (a: string, b: string) => Ordering>> = {
  dpkg: compareDpkg,
  rpm: compareEvr,
  apk: compareApk,
};

/**
 * Orders two full package versions the way the format's package manager does:
 * dpkg `[epoch:]upstream[-revision]`, rpm `[epoch:]version[-release]`, apk
 * `version[-rN]`. Throws {@link InvalidVersionError} for a dpkg version dpkg
 * refuses or an empty rpm version; apk, like `apk version -t`, never throws.
 */
export function compareVersions(format: VersionFormat, a: string, b: string): Ordering {
  return COMPARATORS[format](a, b);
}

/** Whether the format's package manager accepts `version` without complaint. */
export function isValidVersion(format: VersionFormat, version: string): boolean {
  switch (format) {
    case 'dpkg':
      return isValidDpkg(version);
    case 'apk':
      return isValidApk(version);
    case 'rpm':
      try {
        parseEvr(version);
        return true;
      } catch (error) {
        if (error instanceof InvalidVersionError) return false;
        throw error;
      }
  }
}
