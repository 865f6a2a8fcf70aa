import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');

let yaml: YamlModule | undefined;

/**
 * The `yaml` package, loaded on first use: only seed fixtures written as YAML need it (72
 * modules, about a tenth of the server's start-up when loaded eagerly; docs/benchmarks.md).
 */
export function yamlLibrary(): YamlModule {
  yaml ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yaml;
}

/**
 * YAML that parses but whose aliases cannot be turned into values: more alias uses than the
 * library allows (an alias bomb, "billion laughs"), or an alias before its anchor. The library
 * throws a bare ReferenceError for these.
 */
export class YamlAliasError extends Error {
  constructor(reason: string) {
    super(
      reason.startsWith('Excessive alias count')
        ? `its aliases expand too much: ${reason}`
        : reason,
    );
    this.name = 'YamlAliasError';
  }
}

/**
 * Parses YAML (1.2, a superset of JSON) text into plain values, as `yaml`'s `parse`.
 * @throws YAMLParseError (from {@link yamlLibrary}) on a syntax error; {@link YamlAliasError}
 *   when its aliases cannot be resolved (an alias bomb).
 */
export function parseYaml(text: string): unknown {
  try {
    return yamlLibrary().parse(text);
  } catch (error) {
    // Only the alias resolution of `toJS` throws a ReferenceError in the yaml package.
    if (error instanceof ReferenceError) throw new YamlAliasError(error.message);
    throw error;
  }
}
