import { countRunUnions } from '../lib/active-index/day-run-unions.js';
import { UserBitset } from '../lib/storage/user-bitset.js';
import { DaysActiveTally } from '../lib/analytics/days-active-tally.js';
const USERS = 1_000_000;
let seed = 1; const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const bitmaps = Array.from({ length: 119 }, () => { const b = Buffer.alloc(USERS / 8 + 1); b[0] |= 0x80; for (let i = 0; i < 80_000; i++) { const r = rnd(); const n = 1 + Math.floor(USERS * r * r); b[n >> 3] |= 0x80 >> (n & 7); } return b; });
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now();
  const days = bitmaps.map((b) => UserBitset.fromRedisBitmap(b));
  const parse = performance.now() - t; t = performance.now();
  const runs = [1, 7, 30].flatMap((length) => Array.from({ length: 90 }, (_, i) => ({ from: 29 + i - length + 1, to: 30 + i })));
  const counts = countRunUnions(days, runs);
  const unions = performance.now() - t; t = performance.now();
  const tally = new DaysActiveTally(7); for (let d = 0; d < 7; d++) tally.add(days[d]); tally.histogram();
  console.log(`parse ${parse.toFixed(1)} ms, 270 runs ${unions.toFixed(1)} ms, one week tally ${(performance.now() - t).toFixed(1)} ms`, counts[269]);
}
