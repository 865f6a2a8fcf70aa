// `npm run bench`: CPU microseconds per verify of a 5-caveat token beside the raw HMAC-SHA256 cost.
import { runVerifyBenchmark } from '../src/bench.js';

const result = runVerifyBenchmark();
const fmt = (n: number) => n.toFixed(2);
console.log(`verify (decode + signature + 5 caveats + authorize): ${fmt(result.verifyUs)} us`);
console.log(`raw ${result.hmacCalls} x HMAC-SHA256 (same inputs):       ${fmt(result.hmacUs)} us`);
console.log(
  `ratio: ${fmt(result.ratio)}x (target <= 1.5x; median of ${result.rounds} interleaved rounds x ${result.iterations} calls)`,
);
