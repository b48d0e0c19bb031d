// The checks `palisade checks` lists: id, target and metadata. From source
// this is the registry itself; the build (scripts/bundle.mjs) replaces this
// module with the metadata alone, extracted from the compiled registry, so
// the built CLI lists the catalogue without evaluating any check's rule or
// the libraries rules use (test/cli/bin.test.ts compares both outputs).
import type { CatalogueEntry } from './catalogue.js';

export async function catalogueEntries(): Promise<readonly CatalogueEntry[]> {
  return (await import('../../checks/index.js')).checks;
}
