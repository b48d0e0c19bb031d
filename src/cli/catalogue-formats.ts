// The formats of `palisade checks`: shared by the commander command and the
// fast path in run.ts, which must accept exactly the same values.
export const CATALOGUE_FORMATS = ['table', 'json', 'markdown'] as const;
export type CatalogueFormat = (typeof CATALOGUE_FORMATS)[number];

function isCatalogueFormat(value: string | undefined): value is CatalogueFormat {
  return (CATALOGUE_FORMATS as readonly string[]).includes(value ?? '');
}

/**
 * The format when argv is exactly `checks` with at most one valid
 * `-f/--format` (`-f X`, `--format X`, `--format=X`); undefined for anything
 * else (help, an unknown flag, an invalid value), which goes to commander and
 * gets its usual answer and error messages.
 */
export function simpleChecksInvocation(argv: readonly string[]): CatalogueFormat | undefined {
  if (argv[0] !== 'checks') return undefined;
  const rest = argv.slice(1);
  if (rest.length === 0) return 'table';
  let value: string | undefined;
  if (rest.length === 1 && rest[0]?.startsWith('--format=')) value = rest[0].slice('--format='.length);
  else if (rest.length === 2 && (rest[0] === '-f' || rest[0] === '--format')) value = rest[1];
  return isCatalogueFormat(value) ? value : undefined;
}
