/** Reads an environment variable, treating unset, empty and whitespace-only values alike (undefined). */
export function envValue(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Default API base URL: the mock server's default address
 * (docs/architecture.md#cli-defaults-and-config).
 */
export const DEFAULT_API_URL = 'http://127.0.0.1:4280';
