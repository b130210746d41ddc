/**
 * The fault table of bench/README.md: runs the fault tests (`jest test/faults`) with
 * SOUVENIRS_FAULT_FIGURES pointing at a fresh folder, where each test records what it
 * broke and what it cost (test/support/fault-figures.ts), then rewrites the marked
 * section of bench/README.md from whatever records exist, sorted by id. Exits with
 * jest's code, after writing the table, so a failing fault test still shows its figures.
 *
 * Run: npm run bench:faults
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFaultFigures, renderFaultTable, replaceFaultTable } from './fault-table.js';

const ROOT = resolve(import.meta.dirname, '..');
const README = join(ROOT, 'bench', 'README.md');

const folder = await mkdtemp(join(tmpdir(), 'souvenirs-fault-figures-'));
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', 'test/faults', '--runInBand'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules', SOUVENIRS_FAULT_FIGURES: folder },
});
const figures = await readFaultFigures(folder);
await rm(folder, { recursive: true, force: true });
const readme = await readFile(README, 'utf8').catch(() => '# Benchmarks and fault figures\n');
await writeFile(README, replaceFaultTable(readme, renderFaultTable(figures)));
console.log(`bench/README.md: ${figures.length} fault figures`);
process.exitCode = jest.status ?? 1;
