// Bundles the two entry points (dist/index.js for `startMockServer`, dist/cli.js for the
// `hangar-mock` binary) with their third-party dependencies into dist/bundle/, one shared chunk.
// Why: loading Express, Kysely (about 280 ES modules), pino and their dependencies file by file
// was most of a start-up (resolve, stat, read, compile each; docs/benchmarks.md). Left outside:
// better-sqlite3 (a native addon), the workspace packages @hangar/contract (it reads its
// documents and precompiled validators beside its own files) and @hangar/tokens, and yaml (loaded
// on first use, src/yaml-text.ts). Run after tsc, from the package directory.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/index.js', 'dist/cli.js'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3', '@hangar/contract', '@hangar/tokens', 'yaml'],
  // CommonJS dependencies call `require` for Node's modules; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
