// Report format names, without the reporters themselves: the CLI's option
// parsing and --help need the names; a scan loads only the reporter it uses
// (src/reporters/load.ts).
export const REPORTER_NAMES = ['table', 'json', 'sarif', 'markdown', 'junit', 'codequality', 'html'] as const;

export type ReporterName = (typeof REPORTER_NAMES)[number];
