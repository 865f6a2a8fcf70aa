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
 * Parses YAML (1.2, a superset of JSON) text into plain values, as `yaml`'s `parse`.
 * @throws YAMLParseError (from {@link yamlLibrary}) on a syntax error.
 */
export function parseYaml(text: string): unknown {
  return yamlLibrary().parse(text);
}
