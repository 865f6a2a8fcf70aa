/**
 * A resource name of the contract's `x-hangar-access` (`app`, `trust_policy`, `access`) as the
 * plural words a problem detail says: underscores become spaces and English plural rules apply
 * (`apps`, `trust policies`, `accesses`), not a bare `s` (`trust_policys`).
 */
export function resourcesWord(resource: string): string {
  const words = resource.replaceAll('_', ' ');
  if (/[^aeiou]y$/.test(words)) return `${words.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/.test(words)) return `${words}es`;
  return `${words}s`;
}
