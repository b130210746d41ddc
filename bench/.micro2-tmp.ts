import { UserBitset } from '../lib/storage/user-bitset.js';
const b = Buffer.alloc(125001); for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) & 0xff;
const a = UserBitset.fromRedisBitmap(b), c = UserBitset.fromRedisBitmap(b.reverse());
for (let rep = 0; rep < 3; rep++) {
  let t = performance.now(); for (let i = 0; i < 1000; i++) a.clone(); const clone = performance.now() - t;
  t = performance.now(); const x = a.clone(); for (let i = 0; i < 1000; i++) x.addAll(c); const or = performance.now() - t;
  t = performance.now(); let s = 0; for (let i = 0; i < 1000; i++) s += a.countUnion(c); const cu = performance.now() - t;
  t = performance.now(); for (let i = 0; i < 1000; i++) s += a.count(); const cnt = performance.now() - t;
  console.log(`per op µs: clone ${clone.toFixed(0)}, addAll ${or.toFixed(0)}, countUnion ${cu.toFixed(0)}, count ${cnt.toFixed(0)}`, s > 0);
}
