import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { folderGraph, folderOf, importGraph, loops } from './lib-imports.js';

const LIB = fileURLToPath(new URL('../../../lib', import.meta.url));

/**
 * The layers of docs/architecture.md, top first: a file may import its own layer's
 * folder or any layer below, never one above. `''` is the wiring at the root of lib/.
 */
const LAYERS: readonly (readonly string[])[] = [
  [''],
  ['cli', 'dashboard', 'prometheus'],
  ['http'],
  ['tracking'],
  ['reports'],
  ['activity'],
  ['metricas'],
  ['active-users'],
  ['table', 'store'],
  ['calendar', 'shared'],
  ['errors'],
];

/** The imports that point up, or across into a sibling folder of the same layer. */
function upwardImports(files: ReadonlyMap<string, readonly string[]>): string[] {
  const layerOf = (file: string): number => {
    const folder = folderOf(file).split('/')[0];
    const layer = LAYERS.findIndex((folders) => folders.includes(folder));
    if (layer < 0) throw new Error(`lib/${folder}/ is in no layer: add it to LAYERS and to docs/architecture.md`);
    return layer;
  };
  const sameFolder = (a: string, b: string): boolean => folderOf(a).split('/')[0] === folderOf(b).split('/')[0];
  return [...files].flatMap(([file, targets]) =>
    targets.filter((target) => !sameFolder(file, target) && layerOf(target) <= layerOf(file)).map((target) => `${file} → ${target}`),
  );
}

/** One line per loop, so a failure names every file or folder of it. */
const describeLoops = (found: string[][]): string => found.map((loop) => loop.map((node) => node || '(lib root)').join(' ⇄ ')).join('\n');

describe('imports of lib/', () => {
  const files = importGraph(LIB);

  it('reads the whole of lib/ (the graph is not empty)', () => {
    expect(files.size).toBeGreaterThan(100);
    expect(files.get('index.ts')).toContain('souvenirs.module.ts');
  });

  it('has no folder that imports a folder importing it back (types included)', () => {
    expect(describeLoops(loops(folderGraph(files)))).toBe('');
  });

  it('has no file import loop', () => {
    expect(describeLoops(loops(files))).toBe('');
  });

  it('imports only downwards, in the layers of docs/architecture.md', () => {
    expect(upwardImports(files)).toEqual([]);
  });

  it('sees an import pointing up, and one across a layer', () => {
    const graph = new Map([
      ['activity/a.ts', ['reports/r.ts', 'store/s.ts']],
      ['table/t.ts', ['store/s.ts']],
    ]);
    expect(upwardImports(graph)).toEqual(['activity/a.ts → reports/r.ts', 'table/t.ts → store/s.ts']);
  });
});

describe('loops()', () => {
  const graph = (edges: Record<string, string[]>): Map<string, string[]> => new Map(Object.entries(edges));

  it('finds a cycle, and only the nodes on it', () => {
    const found = loops(graph({ a: ['b'], b: ['c'], c: ['a', 'd'], d: [], e: ['a'] }));
    expect(found).toEqual([['a', 'b', 'c']]);
  });

  it('finds a node importing itself, and two separate cycles', () => {
    const found = loops(graph({ a: ['a'], b: ['c'], c: ['b'], d: ['b'] }));
    expect(found.sort()).toEqual([['a'], ['b', 'c']]);
  });

  it('finds nothing in a graph without cycles (shared targets included)', () => {
    expect(loops(graph({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toEqual([]);
  });

  it('sees a loop between folders that no file loop shows', () => {
    const files = graph({ 'x/one.ts': ['y/two.ts'], 'y/two.ts': [], 'y/three.ts': ['x/four.ts'], 'x/four.ts': [] });
    expect(loops(files)).toEqual([]);
    expect(loops(folderGraph(files))).toEqual([['x', 'y']]);
  });
});
