/**
 * The names an entry point of the package exports, types included, as the TypeScript
 * compiler sees them: `export *` chains are followed and type-only exports count, since a
 * user can name a type as surely as a value.
 */
import ts from 'typescript';

/** Sorted names exported by each of `entries` (paths to `.ts` files), keyed by the path given. */
export function exportedNames(entries: readonly string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  };
  const program = ts.createProgram({ rootNames: [...entries], options });
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${entry}: not a module the compiler could read`);
    names.set(entry, checker.getExportsOfModule(module).map((symbol) => symbol.name).sort());
  }
  return names;
}
