/**
 * Authenticated list of an org's tokens (20 tokens) on hangar-mock as users start it (request
 * log on, issue 14's headline), beside a bare Express 5 app and plain node:http returning the
 * very same JSON bytes with no auth and no database. Every hangar-mock request is computed in
 * full (it caches no reply and no list page). Also: hangar-mock with `--log-level warn` (no
 * request log; the log's cost is default / quiet), Prism mocking the contract on the same route,
 * and a floor, bare Express doing only the work a computed request cannot skip
 * (servers/minimal-auth.mjs).
 * autocannon: 10 connections, 10 s measured after a 3 s warm-up, each server in its own process,
 * measured in turn (order rotated each round). Beside req/s, each server's own CPU time per
 * request over the measured run (/proc, Linux), as requests per CPU-second: the load generator
 * shares the machine, and CPU time per request moves less than req/s when other work runs. Targets (issue 14): mock >= 0.6x bare Express,
 * mock >= 0.85x the same mock with `--log-level warn`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OneConnection } from '../http.js';
import { type LoadResult, runLoad } from '../load.js';
import { createOrgTokens, startMock } from '../mock.js';
import { BARE_EXPRESS_SERVER, MINIMAL_AUTH_SERVER, PLAIN_HTTP_SERVER } from '../paths.js';
import { startPrism } from '../prism.js';
import { startServerProcess } from '../proc.js';
import { formatNumber, makeRow } from '../report.js';
import { median } from '../stats.js';
import type { BenchCase, CaseContext, Row } from '../types.js';

const ORG = 'acme';
const ROUTE = '/v1/orgs/:org/tokens';
const PATH = `/v1/orgs/${ORG}/tokens`;
const TOKENS = 20;

export const listThroughputCase: BenchCase = {
  name: 'list-http',
  description: `GET ${PATH} (${TOKENS} tokens) req/s: hangar-mock (default, and quiet) vs bare Express 5 (also: Prism, node:http, a floor)`,
  async run(context: CaseContext): Promise<Row[]> {
    const rounds = context.quick ? 1 : 3;
    const durationS = context.quick ? 3 : 10;
    const warmupS = context.quick ? 1 : 3;
    const mock = await startMock();
    const stops: (() => Promise<void>)[] = [mock.stop];
    try {
      await createOrgTokens(mock.client, ORG, TOKENS);
      const auth = { authorization: `Bearer ${mock.token}` };
      const quiet = await startMock(['--log-level', 'warn']);
      stops.push(quiet.stop);
      await createOrgTokens(quiet.client, ORG, TOKENS);
      const quietAuth = { authorization: `Bearer ${quiet.token}` };
      const prism = await startPrism();
      stops.push(prism.stop);
      // Prism checks that a bearer token is there, not what it is.
      const prismAuth = { authorization: 'Bearer prism' };
      const probe = new OneConnection();
      const listed = await probe.get(`${mock.url}${PATH}`, auth);
      const page = JSON.parse(listed.body.toString('utf8')) as { items: unknown[] };
      if (listed.status !== 200 || page.items.length !== TOKENS) {
        throw new Error(`list answered ${listed.status} with ${page.items?.length} items`);
      }
      const bodyFile = join(mock.dataDir, 'list-body.json');
      await writeFile(bodyFile, listed.body);
      const express = await startServerProcess([BARE_EXPRESS_SERVER, bodyFile, ROUTE]);
      stops.push(express.stop);
      const plain = await startServerProcess([PLAIN_HTTP_SERVER, bodyFile]);
      stops.push(plain.stop);
      for (const base of [express.url, plain.url]) {
        const same = await probe.get(`${base}${PATH}`);
        if (!same.body.equals(listed.body))
          throw new Error(`${base} does not return the same bytes`);
      }
      const minimal = await startServerProcess([MINIMAL_AUTH_SERVER]);
      stops.push(minimal.stop);
      const minimalAuth = { authorization: `Bearer ${String(minimal.announcement?.token)}` };
      const floor = await probe.get(`${minimal.url}${PATH}`, minimalAuth);
      if (floor.status !== 200) throw new Error(`minimal-auth answered ${floor.status}`);
      for (const [name, url, headers] of [
        ['quiet', quiet.url, quietAuth],
        ['prism', prism.url, prismAuth],
      ] as const) {
        const answer = await probe.get(`${url}${PATH}`, headers);
        if (answer.status !== 200) throw new Error(`${name} answered ${answer.status}`);
      }
      probe.close();

      const targets = [
        {
          name: 'mock',
          url: `${mock.url}${PATH}`,
          headers: auth,
          serverPid: mock.process.child.pid,
        },
        {
          name: 'quiet',
          url: `${quiet.url}${PATH}`,
          headers: quietAuth,
          serverPid: quiet.process.child.pid,
        },
        {
          name: 'express',
          url: `${express.url}${PATH}`,
          headers: {},
          serverPid: express.child.pid,
        },
        {
          name: 'prism',
          url: `${prism.url}${PATH}`,
          headers: prismAuth,
          serverPid: prism.child.pid,
        },
        { name: 'http', url: `${plain.url}${PATH}`, headers: {}, serverPid: plain.child.pid },
        {
          name: 'floor',
          url: `${minimal.url}${PATH}`,
          headers: minimalAuth,
          serverPid: minimal.child.pid,
        },
      ];
      const results = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
      for (let round = 0; round < rounds; round++) {
        const order = targets.map((_t, i) => targets[(i + round) % targets.length]);
        for (const target of order) {
          if (!target) continue;
          const result = await runLoad({ ...target, connections: 10, durationS, warmupS });
          if (result.failures > 0) {
            throw new Error(`${target.name}: ${result.failures} failed requests under load`);
          }
          results.get(target.name)?.push(result);
          context.log(
            `list-http round ${round + 1}/${rounds} ${target.name}: ${result.okPerSec.toFixed(0)} req/s, p50 ${result.latencyP50Ms} ms`,
          );
        }
      }
      const rps = (name: string) => (results.get(name) ?? []).map((r) => r.okPerSec);
      // Requests per second of the server's own CPU time: what it could answer with a core to
      // itself. Shown beside req/s because it moves less when the machine is shared.
      const perCpuSecond = (name: string) =>
        (results.get(name) ?? []).flatMap((r) =>
          r.cpuUsPerRequest ? [1e6 / r.cpuUsPerRequest] : [],
        );
      const cpuNote = (name: string) =>
        `${rounds} rounds; server CPU (user + system, /proc) over the measured run; median ${formatNumber(1e6 / (median(perCpuSecond(name)) || Number.NaN))} us a request`;
      const p50 = (name: string) => median((results.get(name) ?? []).map((r) => r.latencyP50Ms));
      const note = (name: string) =>
        `${rounds} rounds x ${durationS} s, 10 connections, ${listed.body.length} B body; p50 ${p50(name)} ms`;
      return [
        makeRow({
          case: 'list-http',
          metric: `hangar-mock GET ${PATH}, ${TOKENS} tokens, as started by users (request log on)`,
          unit: 'req/s',
          samples: rps('mock'),
          baselineName: 'bare Express 5',
          baselineSamples: rps('express'),
          target: { on: 'ratio', op: '>=', value: 0.6 },
          note: `${note('mock')}; log to a file`,
        }),
        makeRow({
          case: 'list-http',
          metric: 'hangar-mock as started by users, requests per second of its own CPU time',
          unit: 'req/CPU-s',
          samples: perCpuSecond('mock'),
          baselineName: 'bare Express 5',
          baselineSamples: perCpuSecond('express'),
          note: cpuNote('mock'),
        }),
        makeRow({
          case: 'list-http',
          metric: 'floor, requests per second of its own CPU time',
          unit: 'req/CPU-s',
          samples: perCpuSecond('floor'),
          baselineName: 'bare Express 5',
          baselineSamples: perCpuSecond('express'),
          note: cpuNote('floor'),
        }),
        makeRow({
          case: 'list-http',
          metric: 'request log: hangar-mock default vs the same with --log-level warn',
          unit: 'req/s',
          samples: rps('mock'),
          baselineName: 'hangar-mock --log-level warn',
          baselineSamples: rps('quiet'),
          target: { on: 'ratio', op: '>=', value: 0.85 },
          note: note('mock'),
        }),
        makeRow({
          case: 'list-http',
          metric: 'hangar-mock --log-level warn (no request log)',
          unit: 'req/s',
          samples: rps('quiet'),
          baselineName: 'bare Express 5',
          baselineSamples: rps('express'),
          note: note('quiet'),
        }),
        makeRow({
          case: 'list-http',
          metric: 'Prism 5.16 mocking openapi/hangar.yaml, same route',
          unit: 'req/s',
          samples: rps('prism'),
          baselineName: 'bare Express 5',
          baselineSamples: rps('express'),
          note: `${note('prism')}; Prism's example body, not the same bytes`,
        }),
        makeRow({
          case: 'list-http',
          metric: 'floor: bare Express + verify + SQLite page, no validation',
          unit: 'req/s',
          samples: rps('floor'),
          baselineName: 'bare Express 5',
          baselineSamples: rps('express'),
          note: `${note('floor')}; servers/minimal-auth.mjs, ${floor.body.length} B body`,
        }),
        makeRow({
          case: 'list-http',
          metric: 'plain node:http, same bytes',
          unit: 'req/s',
          samples: rps('http'),
          baselineName: 'bare Express 5',
          baselineSamples: rps('express'),
          note: note('http'),
        }),
      ];
    } finally {
      for (const stop of stops.reverse()) await stop();
    }
  },
};
