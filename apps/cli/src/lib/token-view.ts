import type { Token } from '@hangar/sdk';
import type { Column } from './output.js';

/** Columns of `tokens list`: flyctl's order, with STATUS (active, expired, revoked) after KIND. */
export const TOKEN_COLUMNS: Column<Token>[] = [
  { header: 'ID', get: (t) => t.id },
  { header: 'NAME', get: (t) => t.name },
  { header: 'KIND', get: (t) => t.kind },
  { header: 'STATUS', get: (t) => t.status },
  { header: 'CREATED BY', get: (t) => t.created_by },
  { header: 'CREATED AT', get: (t) => t.created_at },
  { header: 'EXPIRES AT', get: (t) => t.expires_at },
  { header: 'LAST USED', get: (t) => t.last_used_at },
  { header: 'REVOKED AT', get: (t) => t.revoked_at },
];
