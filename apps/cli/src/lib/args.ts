/**
 * Spread into every command argument (`Args.string({ ...NOT_FROM_STDIN, ... })`). oclif fills a
 * left-out argument from standard input whenever stdin is not a terminal, so `hangar` in a
 * `while read` loop, or under a CI runner that pipes stdin, would read the loop's remaining lines
 * as that argument (and wait 10 ms for them when nothing comes). Like `gh` and `flyctl`, hangar
 * reads standard input only where a command says so: "-" for a token, `--password-stdin`.
 * test/stdin-arguments.test.ts and test/command-registry.test.ts hold every command to it.
 */
export const NOT_FROM_STDIN = { ignoreStdin: true } as const;
