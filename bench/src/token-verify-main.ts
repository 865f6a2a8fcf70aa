// `npx -y pnpm@12.4.2 --filter @hangar/bench bench:tokens`: CPU microseconds per verify of a
// 5-caveat token beside the raw HMAC-SHA256 cost (token-verify.ts).
import { runVerifyBenchmark } from './token-verify.js';

const result = runVerifyBenchmark();
const fmt = (n: number) => n.toFixed(2);
console.log(`verify (decode + signature + 5 caveats + authorize): ${fmt(result.verifyUs)} us`);
console.log(`raw ${result.hmacCalls} x HMAC-SHA256 (same inputs):       ${fmt(result.hmacUs)} us`);
console.log(
  `ratio: ${fmt(result.ratio)}x (target <= 1.5x; median of ${result.rounds} interleaved rounds x ${result.iterations} calls)`,
);
