import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { folderGraph, importGraph, loops } from './lib-imports.js';

const LIB = fileURLToPath(new URL('../../../lib', import.meta.url));

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
