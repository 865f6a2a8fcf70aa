import type { App, Machine, Org } from '@hangar/sdk';
import type { Column } from './output.js';

export const ORG_COLUMNS: Column<Org>[] = [
  { header: 'SLUG', get: (o) => o.slug },
  { header: 'NAME', get: (o) => o.name, minWidth: 12 },
  { header: 'TYPE', get: (o) => o.type },
  { header: 'ROLE', get: (o) => o.role },
  { header: 'ID', get: (o) => o.id, drop: 1 },
];

export const APP_COLUMNS: Column<App>[] = [
  { header: 'NAME', get: (a) => a.name },
  { header: 'ORG', get: (a) => a.org },
  { header: 'ID', get: (a) => a.id, drop: 2 },
  { header: 'CREATED AT', get: (a) => a.created_at, drop: 1 },
];

export const MACHINE_COLUMNS: Column<Machine>[] = [
  { header: 'ID', get: (m) => m.id },
  { header: 'STATE', get: (m) => m.state },
  { header: 'IMAGE', get: (m) => m.image, minWidth: 16 },
  { header: 'REGION', get: (m) => m.region },
  { header: 'CREATED AT', get: (m) => m.created_at, drop: 1 },
];

/** Label/value pairs of one row, for the `show` commands. */
export function fieldsOf<T>(row: T, columns: Column<T>[]): [string, string | null | undefined][] {
  return columns.map((c) => [titleCase(c.header), c.get(row)]);
}

function titleCase(header: string): string {
  return header.charAt(0) + header.slice(1).toLowerCase();
}
