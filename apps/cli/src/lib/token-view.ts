import type { Token } from '@hangar/sdk';
import type { Column } from './output.js';

/**
 * Columns of `tokens list`: flyctl's order, with STATUS (active, expired, revoked, rotated) after KIND.
 * On a narrow terminal REVOKED AT goes first (STATUS says revoked), then CREATED BY, LAST USED,
 * CREATED AT and EXPIRES AT; ID, KIND and STATUS always stay, and NAME is cut last.
 */
export const TOKEN_COLUMNS: Column<Token>[] = [
  { header: 'ID', get: (t) => t.id },
  { header: 'NAME', get: (t) => t.name, minWidth: 12 },
  { header: 'KIND', get: (t) => t.kind },
  { header: 'STATUS', get: (t) => t.status },
  { header: 'CREATED BY', get: (t) => t.created_by, drop: 2, minWidth: 12 },
  { header: 'CREATED AT', get: (t) => t.created_at, drop: 4 },
  { header: 'EXPIRES AT', get: (t) => t.expires_at, drop: 5 },
  { header: 'LAST USED', get: (t) => t.last_used_at, drop: 3 },
  { header: 'REVOKED AT', get: (t) => t.revoked_at, drop: 1 },
];

/**
 * The fields of `tokens show`: every column of `tokens list`, then how rotation links it to other
 * tokens (`rotated_at` is when a rotated token is refused: the end of its grace period).
 */
export const TOKEN_FIELDS: Column<Token>[] = [
  ...TOKEN_COLUMNS,
  { header: 'ROTATED AT', get: (t) => t.rotated_at },
  { header: 'REPLACED BY', get: (t) => t.replaced_by },
  { header: 'REPLACES', get: (t) => t.replaces },
];

/**
 * The `--json` view of a token narrowed offline (`tokens attenuate`, `tokens create readonly
 * --from-existing`): the token, its identifier, caveats and expiry (RFC 3339 or null), never the
 * signature. Without `--json` the commands print the token alone.
 */
export async function attenuatedJson(narrowed: string) {
  const { inspect } = await import('@hangar/tokens');
  const info = inspect(narrowed);
  return {
    token: narrowed,
    identifier: info.identifier,
    caveats: info.caveats,
    expires_at: info.expiresAt,
  };
}
