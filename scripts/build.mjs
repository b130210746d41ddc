// `npm run build`: the package's two builds from one source, dist/esm (ES modules, for
// `import`) and dist/cjs (CommonJS, for `require`), each with its declarations; package.json
// `exports` sends each condition to its own. A fresh dist/ each time: no file of a deleted
// source lingers in the tarball.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'tsconfig.build-cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
}
// The repository is "type": "module"; this folder's files are CommonJS.
writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
