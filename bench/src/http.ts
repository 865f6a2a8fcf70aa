/** Plain HTTP helpers over one keep-alive connection, for latency samples with sub-ms resolution. */
import { Agent, request } from 'node:http';
import { nowMs } from './stats.js';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A client holding one keep-alive socket, like one CLI or CI job talking to the server. */
export class OneConnection {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });

  /** GET `url`; resolves with status, headers and the whole body. Throws on network errors. */
  get(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const req = request(url, { agent: this.#agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /**
   * Milliseconds per GET (request sent to last body byte) for `count` sequential requests.
   * Throws if any answer is not 200: an error page must not pass for a fast list.
   */
  async timeGets(url: string, headers: Record<string, string>, count: number): Promise<number[]> {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = nowMs();
      const res = await this.get(url, headers);
      samples.push(nowMs() - started);
      if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    }
    return samples;
  }

  close(): void {
    this.#agent.destroy();
  }
}
