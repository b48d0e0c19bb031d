// PostgreSQL URLs: where the password may come from, and how a URL is shown.

/** True for postgres:// and postgresql:// URLs. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** The URL with its password (and any password= parameter) removed, for messages and logs. */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not parseable: drop everything between "://" and "@" rather than risk showing a password.
    return value.replace(/\/\/[^@/]*@/, '//***@');
  }
  url.password = '';
  for (const key of [...url.searchParams.keys()]) {
    if (/pass/i.test(key)) url.searchParams.delete(key);
  }
  return url.toString();
}

/** Replaces every occurrence of `secret` in `text` (error messages from drivers). */
export function scrub(text: string, secret: string | undefined): string {
  if (secret === undefined || secret === '') return text;
  return text.split(secret).join('***');
}
