/**
 * What to do about a token minted on the server whose secret standard output could not take
 * (HangarCommand.outputSecret): it is shown only once and kept nowhere else.
 */

/** After `tokens create`: the token is live for its whole life, and nobody holds it. */
export function lostCreated(id: string): string {
  return `token ${id} was created, but its secret is lost (it is shown only once). Revoke it: hangar tokens revoke ${id}`;
}

/**
 * After `tokens rotate`: the new token is live, nobody holds it, and the old one is refused once
 * its grace period ends. Rotating the new one (with a token that may) gives a secret again.
 */
export function lostRotated(id: string, replaces: string | null): string {
  const old = replaces ? `; ${replaces} is refused once its grace period ends` : '';
  return `token ${id} replaced it, but its secret is lost (it is shown only once)${old}. Get a new secret for it with a token that may rotate it (your login): hangar tokens rotate ${id}`;
}
