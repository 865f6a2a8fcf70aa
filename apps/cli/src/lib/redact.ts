/**
 * Shows a secret token only as its prefix and last four characters, e.g. `hangar_…abcd`, so that
 * --verbose output and messages can say which token is in use without revealing it.
 */
export function redactToken(token: string): string {
  const trimmed = token.trim();
  const prefix = trimmed.startsWith('hangar_') ? 'hangar_' : '';
  if (trimmed.length < prefix.length + 8) return `${prefix}…`;
  return `${prefix}…${trimmed.slice(-4)}`;
}
