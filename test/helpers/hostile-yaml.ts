// Hostile YAML for limit tests.

/**
 * A billion-laughs alias bomb as mapping lines at `indent` spaces: nine levels
 * of nine aliases, 9^9 (387 million) nodes once expanded. Every line is a
 * key of the enclosing mapping, so it fits any field that takes a mapping.
 */
export function aliasBomb(indent = 0): string {
  const pad = ' '.repeat(indent);
  const lines = [`${pad}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let level = 1; level < 9; level++) {
    lines.push(`${pad}l${level}: &l${level} [${Array.from({ length: 9 }, () => `*l${level - 1}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** `checks: [[[[...]]]]` nested `depth` deep (the repro). */
export function deepFlowPolicy(depth = 5000): string {
  return `apiVersion: palisade/v1\nkind: Policy\nname: deep\nchecks: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}
