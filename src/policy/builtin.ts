// The names of the built-in policies (policies/<name>.yaml). Kept apart from
// policy.ts so `--help` can list them without loading the policy loader.
export const BUILTIN_POLICIES = ['default', 'strict', 'cis-docker-1.6.0'] as const;
