import semver from 'semver';
import { parseAllDocuments } from 'yaml';

/** A package in the runtime tree whose `engines.node` leaves out a Node version we support. */
export interface EngineConflict {
  /** `name@version`, as in pnpm-lock.yaml's `packages:` keys. */
  package: string;
  /** Its `engines.node` range. */
  engines: string;
  /** The Node versions (ours) that range excludes. */
  excludes: string[];
  /** The chain of dependencies from a published package to it, e.g. `@hangar/mock-server > kysely@0.29.9`. */
  path: string;
}

interface LockDependency {
  version: string;
}
interface Importer {
  dependencies?: Record<string, LockDependency>;
  optionalDependencies?: Record<string, LockDependency>;
}
interface Snapshot {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
interface Lockfile {
  importers: Record<string, Importer>;
  packages?: Record<string, { engines?: { node?: string } }>;
  snapshots?: Record<string, Snapshot>;
}

/**
 * The workspace's lockfile: the document of pnpm-lock.yaml with `importers` for the workspace
 * packages (pnpm 11+ writes its own `packageManagerDependencies` document first).
 * @throws Error when no document has importers.
 */
export function parseLockfile(text: string): Lockfile {
  const docs = parseAllDocuments(text).map((doc) => doc.toJS() as Partial<Lockfile> | null);
  const workspace = docs.find(
    (doc) =>
      doc?.importers &&
      !Object.values(doc.importers).some((importer) => 'packageManagerDependencies' in importer),
  );
  if (!workspace) throw new Error('pnpm-lock.yaml has no document with the workspace importers');
  return workspace as Lockfile;
}

/**
 * Walks every package a published package needs at run time (`dependencies` and
 * `optionalDependencies`, transitively; workspace links are followed into their own importer;
 * `devDependencies` are left out, as npm does not install them for a consumer) and returns those
 * whose `engines.node` does not admit each of `nodeVersions`.
 * @param lock the parsed pnpm-lock.yaml (lockfileVersion 9).
 * @param published importer paths of the published packages, e.g. `['apps/mock-server']`.
 * @param nodeVersions exact versions that must be admitted, e.g. `['20.19.0']`.
 */
export function engineConflicts(
  lock: Lockfile,
  published: string[],
  nodeVersions: string[],
): EngineConflict[] {
  const conflicts: EngineConflict[] = [];
  const seen = new Set<string>();
  const visit = (key: string, path: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const engines = lock.packages?.[withoutPeers(key)]?.engines?.node;
    if (engines) {
      const excludes = nodeVersions.filter((v) => !semver.satisfies(v, engines));
      if (excludes.length > 0) {
        conflicts.push({ package: withoutPeers(key), engines, excludes, path });
      }
    }
    const snapshot = lock.snapshots?.[key] ?? {};
    for (const [name, version] of runtimeEntries(snapshot)) {
      const child = snapshotKey(name, version);
      visit(child, `${path} > ${withoutPeers(child)}`);
    }
  };
  const visitImporter = (importer: string, path: string) => {
    if (seen.has(`importer:${importer}`)) return;
    seen.add(`importer:${importer}`);
    const entry = lock.importers[importer];
    if (!entry) throw new Error(`pnpm-lock.yaml has no importer ${importer}`);
    for (const [name, { version }] of runtimeEntries(entry)) {
      if (version.startsWith('link:')) {
        visitImporter(joinPath(importer, version.slice('link:'.length)), `${path} > ${name}`);
      } else {
        const key = snapshotKey(name, version);
        visit(key, `${path} > ${withoutPeers(key)}`);
      }
    }
  };
  for (const importer of published) visitImporter(importer, importer);
  return conflicts;
}

/** Runtime dependency entries of an importer or snapshot: dependencies, optionalDependencies. */
function runtimeEntries<T>(entry: {
  dependencies?: Record<string, T>;
  optionalDependencies?: Record<string, T>;
}): [string, T][] {
  return [
    ...Object.entries(entry.dependencies ?? {}),
    ...Object.entries(entry.optionalDependencies ?? {}),
  ];
}

/** `name@version(peer@x)` as the snapshots key it; an alias's version is itself `real@x`. */
function snapshotKey(name: string, version: string): string {
  return /^@?[^@(]+@/.test(version) ? version : `${name}@${version}`;
}

/** The `packages:` key of a snapshot key: peer suffixes `(peer@1.0.0)` removed. */
function withoutPeers(key: string): string {
  const paren = key.indexOf('(');
  return paren === -1 ? key : key.slice(0, paren);
}

/** Resolves `link:../sdk` against importer `apps/cli` to `apps/sdk`, in lockfile terms. */
function joinPath(importer: string, link: string): string {
  const parts = importer.split('/');
  for (const part of link.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}
