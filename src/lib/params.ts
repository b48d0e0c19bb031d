// Reading check parameters. Policies are schema-validated before checks run,
// so these only guard against a check being called with hand-made params.

/** The strings of a string-array parameter. */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
