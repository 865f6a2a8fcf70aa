// Type-checked in a fresh project that installed the packed tarballs (skipLibCheck: false), under
// module NodeNext and under moduleResolution bundler: every published entry point's public API.

import { type MockServer, type MockServerOptions, startMockServer } from '@hangar/mock-server';
import { createHangarClient, type HangarClient, type HangarClientOptions } from '@hangar/sdk';
import { type Caveat, mint, newIdentifier, type VerifyResult, verify } from '@hangar/tokens';

export async function listApps(options: MockServerOptions): Promise<string[]> {
  const server: MockServer = await startMockServer(options);
  const clientOptions: HangarClientOptions = { baseUrl: server.url, token: server.devToken };
  const hangar: HangarClient = createHangarClient(clientOptions);
  const page = await hangar.apps.list('acme');
  await server.close();
  return page.items.map((app) => app.name);
}

export function mintAndVerify(rootKey: Uint8Array): VerifyResult {
  const caveats: Caveat[] = [{ type: 'org', org: 'acme' }];
  const token = mint({ rootKey, identifier: newIdentifier(), caveats });
  return verify(token, rootKey, { level: 'org', org: 'acme', action: 'read' }, new Date());
}
