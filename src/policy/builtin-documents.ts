// The built-in policies, already parsed and validated. From source this finds
// none, so each is read, parsed and validated like any policy file; the build
// (scripts/bundle.mjs) replaces this module with the documents it parsed and
// validated with the same loader, so a scan with a built-in policy compiles
// and runs neither the YAML parser nor the schema validator (about 20 ms of
// cold code on every run; docs/benchmarks.md). test/cli/bin.test.ts compares
// what the built CLI resolves with what the source does.
import type { PolicyDocument } from './policy.js';

/** A built-in policy's document and text (for file:line), when the build embedded it. */
export function builtinPolicyDocument(name: string): { doc: PolicyDocument; text: string } | undefined {
  void name;
  return undefined;
}
