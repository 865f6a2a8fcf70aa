import { type RawBuilder, sql } from 'kysely';

/**
 * The one rule for comparing emails: case-insensitively, in ASCII only (as SQLite's `lower()`
 * folds, so a comparison in SQL and one in code agree). `B@X.test` and `b@x.test` are one user
 * at login (createSession), in a seed fixture (upserted, never a second user) and in a member
 * lookup.
 * @returns the email with A-Z folded to a-z.
 */
export function emailKey(email: string): string {
  return email.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** `users.email` equals `email` under {@link emailKey}'s rule, for a Kysely `where`. */
export function emailIs(email: string): RawBuilder<boolean> {
  return sql<boolean>`lower(email) = ${emailKey(email)}`;
}
