// One string order for everything palisade sorts: UTF-16 code units. The
// same on every machine and locale, unlike localeCompare, and without its
// cost: the first localeCompare of a process loads ICU's collator (about
// 10 ms of a scan, docs/benchmarks.md).

/** Code-unit order of two strings. */
export function compareCodeUnits(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
