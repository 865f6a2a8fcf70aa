/**
 * Levenshtein edit distance (insertions, deletions, substitutions) between two strings, in
 * UTF-16 code units.
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** What to tell a user who typed an unknown command. */
export interface Suggestion {
  /** The closest command or topic, space-separated (`tokens list`), if any is close enough. */
  command?: string | undefined;
  /** The deepest topic the words start with (`tokens create`), whose --help lists its commands. */
  topic?: string | undefined;
}

/**
 * Suggests a command for the words a user typed (`['tokns', 'list']`). Trailing words may be
 * arguments, so the longest leading run of words close to a known command or topic wins; "close"
 * is an edit distance of at most a third of the candidate's length (at least 1), so `tokns list`
 * finds `tokens list` and `tokens create orgs acme` finds `tokens create org`.
 *
 * @param known every command id, alias and topic, space-separated
 * @param topics every topic, space-separated
 */
export function suggestCommand(words: string[], known: string[], topics: string[]): Suggestion {
  let topic: string | undefined;
  for (let n = words.length; n > 0 && topic === undefined; n--) {
    const prefix = words.slice(0, n).join(' ');
    if (topics.includes(prefix)) topic = prefix;
  }
  for (let n = words.length; n > 0; n--) {
    const typed = words.slice(0, n).join(' ');
    let best: string | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const candidate of known) {
      const distance = editDistance(typed, candidate);
      if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
    }
    if (best !== undefined && bestDistance > 0 && bestDistance <= Math.max(1, best.length / 3)) {
      return { command: best, topic };
    }
  }
  return { topic };
}
