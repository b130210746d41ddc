// Runs the repository's TypeScript directly on Node 20 (sample app, benchmarks, the
// child processes of the concurrency test): `node --import ./scripts/register-ts.mjs x.ts`.
// SWC strips types and emits decorator metadata, which Nest's DI needs and which
// type-stripping loaders (tsx, Node's own) do not produce. Type checking stays `tsc`.
import { register } from 'node:module';

register('./ts-loader-hooks.mjs', import.meta.url);
