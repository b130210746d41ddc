// Module hooks behind register-ts.mjs: resolve `./x.js` to `./x.ts` when only the
// TypeScript source exists (nodenext imports name the emitted file), and compile
// `.ts` files with SWC on load. A `.cts` source (`./x.cjs` when only `./x.cts` exists) runs
// as an ES module given a `require` of its own: the same exports, without Node's CommonJS
// loader, which takes no source from hooks on Node 20.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transform } from '@swc/core';

export async function resolve(specifier, context, nextResolve) {
  if (specifier.endsWith('.js') && (specifier.startsWith('.') || specifier.startsWith('/')) && context.parentURL) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (candidate.protocol === 'file:' && existsSync(fileURLToPath(candidate))) {
      return { url: candidate.href, format: 'module', shortCircuit: true };
    }
  }
  if (specifier.endsWith('.cjs') && specifier.startsWith('.') && context.parentURL) {
    const candidate = new URL(specifier.replace(/\.cjs$/, '.cts'), context.parentURL);
    if (candidate.protocol === 'file:' && existsSync(fileURLToPath(candidate))) {
      return { url: candidate.href, format: 'module', shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  const cts = url.endsWith('.cts');
  if (!url.endsWith('.ts') && !cts) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  const source = (await nextLoad(url, { ...context, format: 'module' })).source.toString();
  const { code } = await transform(source, {
    filename,
    sourceMaps: 'inline',
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'es6' },
  });
  const prelude = cts ? "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);\n" : '';
  return { format: 'module', source: prelude + code, shortCircuit: true };
}
