import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root (this file is packages/package-tests/src/workspace.ts). */
export const ROOT = new URL('../../../', import.meta.url).pathname;

/**
 * The names of the packages this repository publishes to npm, sorted: what
 * {@link publishedPackages} must find (a package turning private, or a new one, changes this list).
 */
export const PUBLISHED_NAMES = [
  '@hangar/cli',
  '@hangar/contract',
  '@hangar/mock-server',
  '@hangar/sdk',
  '@hangar/tokens',
];

/** What this package needs from a workspace package's package.json. */
export interface WorkspacePackage {
  name: string;
  version: string;
  /** Absolute directory. */
  dir: string;
  /** Directory relative to the root, as pnpm-lock.yaml's `importers` name it, e.g. `apps/cli`. */
  importer: string;
  engines?: { node?: string };
  bin?: Record<string, string>;
  /** Module entry points; a package with neither is bin-only. */
  exports?: unknown;
  main?: string;
}

/**
 * The packages published to npm: every workspace package under packages/ and apps/ (the groups
 * pnpm-workspace.yaml lists) whose package.json is not `"private": true`.
 */
export function publishedPackages(): WorkspacePackage[] {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(ROOT, group))
      .map((name) => join(group, name))
      .filter((importer) => existsSync(join(ROOT, importer, 'package.json')))
      .map((importer) => {
        const pkg = JSON.parse(readFileSync(join(ROOT, importer, 'package.json'), 'utf8'));
        return { ...pkg, dir: join(ROOT, importer), importer, private: pkg.private === true };
      })
      .filter((pkg) => !pkg.private),
  );
}
