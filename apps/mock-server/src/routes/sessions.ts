import { issuePersonalToken } from '../auth/issue.js';
import type { HandlerMap } from '../context.js';
import { emailIs } from '../emails.js';
import { personalOrgsOf, recordEvent } from '../events.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { problem } from '../problems.js';

/** Compared against when the email is unknown, so both failures take the same time. */
let dummyHash: string | undefined;

function unknownUserHash(): string {
  dummyHash ??= hashPassword('hangar-mock: no such user');
  return dummyHash;
}

/** Sessions: createSession exchanges an email and password for a new personal token. */
export const sessionHandlers = {
  async createSession(ctx) {
    const { db } = ctx.services;
    const { email, password } = ctx.body;
    const user = db.first(
      // Emails match case-insensitively, as every login form does (emails.ts).
      db.q.selectFrom('users').select(['id', 'email', 'password_hash']).where(emailIs(email)),
    );
    const matches = await verifyPassword(password, user?.password_hash ?? unknownUserHash());
    if (!user || !matches) {
      throw problem('invalid_credentials', 'The email or the password is wrong');
    }
    const { secret } = db.transaction(() => {
      const issued = issuePersonalToken(ctx.services, user.id, 'Personal token (login)');
      // A login has no token yet: the actor is the user. Recorded in the user's personal org.
      const origin = ctx.origin({ tokenId: null, tokenKind: null, email: user.email });
      for (const org of personalOrgsOf(db, user.id)) {
        recordEvent(ctx.services, origin, {
          type: 'session.created',
          org,
          target: { type: 'session', id: issued.row.id, name: issued.row.name },
        });
      }
      return issued;
    });
    ctx.carriesSecret();
    return { status: 201, body: { token: secret, user: { id: user.id, email: user.email } } };
  },
} satisfies HandlerMap<'createSession'>;
