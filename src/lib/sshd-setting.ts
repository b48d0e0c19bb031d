// Reading `sshd -T` facts in the SSH hardening checks: a key the output lacks
// takes OpenSSH's compiled default, and the evidence says it was assumed.

export const SSHD_SOURCE = 'sshd -T';
export const SSHD_ASSUMED_SOURCE = 'sshd -T (key absent; OpenSSH default assumed)';

/** A `sshd -T` value, or OpenSSH's compiled default when the output lacks the key. */
export function sshdSetting(sshd: Readonly<Record<string, string>>, key: string, fallback: string): { value: string; assumed: boolean } {
  const value = sshd[key]?.trim().toLowerCase();
  return value === undefined || value === '' ? { value: fallback, assumed: true } : { value, assumed: false };
}
