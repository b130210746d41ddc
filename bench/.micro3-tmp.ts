import { bitsIn } from '../lib/storage/user-bitset.js';
const T = new Uint8Array(65536); for (let i = 1; i < 65536; i++) T[i] = (i & 1) + T[i >>> 1];
const w = new Uint32Array(31251); for (let i = 0; i < w.length; i++) w[i] = Math.imul(i, 2654435761) >>> 0;
const v = w.slice().reverse();
for (let rep = 0; rep < 4; rep++) {
  let t = performance.now(); let s = 0;
  for (let k = 0; k < 300; k++) for (let i = 0; i < w.length; i++) { const x = w[i] | v[i]; if (x !== 0) s += bitsIn(x); }
  const a = performance.now() - t; t = performance.now();
  for (let k = 0; k < 300; k++) for (let i = 0; i < w.length; i++) { const x = w[i] | v[i]; s += T[x & 0xffff] + T[x >>> 16]; }
  const b = performance.now() - t; t = performance.now();
  for (let k = 0; k < 300; k++) for (let i = 0; i < w.length; i++) { w[i] |= v[i]; }
  const c = performance.now() - t;
  console.log(`µs/op: bitsIn ${(a / 0.3).toFixed(0)}, table ${(b / 0.3).toFixed(0)}, or ${(c / 0.3).toFixed(0)}`, s > 0);
}
