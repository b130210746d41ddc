/**
 * Every ```ts block of the README and of docs/*.md, made into a module the packed-package
 * test compiles in its fresh app: what a reader copies must type-check against the package
 * as installed, with the newest TypeScript and `skipLibCheck: false`.
 *
 * A block is a fragment of the reader's app, so each module gets a prelude: the names the
 * block uses but does not import or declare itself, imported from where a reader would
 * (every root export of `nestjs-souvenirs`, Nest's decorators, …) or declared as the things
 * the prose around the block names (`activity: ActivityService`, an `AdminGuard`, …). An
 * ellipsis stands for the reader's code: `{ … }` becomes `{ return null!; }` and `=> …`
 * becomes `=> null!`, which fit any type.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** A ```ts block: where it is (for the test's messages) and its text. */
export interface CodeBlock {
  file: string;
  line: number;
  code: string;
}

/** The ```ts blocks of `markdown`, with the 1-based line of each opening fence. */
export function tsBlocks(file: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const end = lines.findIndex((line, j) => j > i && line.trim() === '```');
    if (end < 0) throw new Error(`${file}:${i + 1}: a \`\`\`ts block that never closes`);
    blocks.push({ file, line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** The blocks of README.md then of every docs/*.md of the repository at `root`. */
export function documentationBlocks(root: string): CodeBlock[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs].flatMap((file) => tsBlocks(file, readFileSync(join(root, file), 'utf8')));
}

/** The names `lib/index.ts` (the root entry point) exports, read from its `export { … } from` lines. */
export function rootExports(root: string): string[] {
  const path = join(root, 'lib', 'index.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement)) continue;
    if (!statement.exportClause || !ts.isNamedExports(statement.exportClause)) throw new Error('lib/index.ts: an `export *`; list the names');
    for (const element of statement.exportClause.elements) names.push(element.name.text);
  }
  return names;
}

/** Where a reader imports what the blocks use besides the package. */
const IMPORTS: Record<string, string[]> = {
  '@nestjs/common': ['Body', 'CanActivate', 'Controller', 'ExecutionContext', 'Get', 'Injectable', 'Module', 'Post'],
  '@nestjs/core': ['APP_GUARD'],
  '@nestjs/typeorm': ['TypeOrmModule'],
  '@nestjs/config': ['ConfigModule', 'ConfigService'],
};

/** What the prose around the blocks names, as the reader's app would have it. */
const DECLARATIONS: Record<string, string> = {
  activity: 'declare const activity: ActivityService;',
  reports: 'declare const reports: ReportsService;',
  registry: 'declare const registry: MetricaRegistry;',
  user: 'declare const user: UserRef;',
  tenant: 'declare const tenant: string;',
  entries: 'declare const entries: AsyncIterable<{ user: UserRef; when: Date; tenant?: string | null }>;',
  lastWeek: 'declare const lastWeek: Date;',
  start: 'declare const start: Date;',
  end: 'declare const end: Date;',
  since: 'declare const since: Date;',
  until: 'declare const until: Date;',
  subscriptionStart: 'declare const subscriptionStart: Date;',
  redis: 'declare const redis: string;',
  plan: "declare const plan: Axis;",
  myStream: 'declare const myStream: NodeJS.WritableStream;',
  invoicesBetween: 'declare function invoicesBetween(period: { start: Date; end: Date }): number;',
  AppModule: 'declare class AppModule {}',
  AdminGuard: 'declare class AdminGuard implements CanActivate { canActivate(context: ExecutionContext): boolean; }',
  ScrapeTokenGuard: 'declare class ScrapeTokenGuard implements CanActivate { canActivate(context: ExecutionContext): boolean; }',
  AuthService: 'declare class AuthService { userOf(authorization: string | undefined): Promise<{ id: string } | undefined>; }',
  DynamoClient: 'declare class DynamoClient {}',
  CreateOrder: 'interface CreateOrder { items: unknown[] }',
};

/** The names a block imports or declares at its top level: the prelude leaves them to it. */
function ownNames(code: string): Set<string> {
  const source = ts.createSourceFile('block.ts', code, ts.ScriptTarget.ES2022);
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) names.add(element.name.text);
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if (
      (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** The block as a module of the reader's app: prelude, then the block with its ellipses filled. */
export function blockModule(block: CodeBlock, packageExports: readonly string[]): string {
  const code = block.code.replace(/\{ … \}/g, '{ return null!; }').replace(/=> …/g, '=> null!');
  const own = ownNames(code);
  const prelude: string[] = [`// ${block.file}:${block.line}`];
  const imports = { 'nestjs-souvenirs': [...packageExports], ...IMPORTS };
  for (const [from, names] of Object.entries(imports)) {
    const needed = names.filter((name) => !own.has(name));
    if (needed.length > 0) prelude.push(`import { ${needed.join(', ')} } from '${from}';`);
  }
  for (const [name, declaration] of Object.entries(DECLARATIONS)) if (!own.has(name)) prelude.push(declaration);
  // A module of its own (its names are its own), whatever the block holds.
  return `${prelude.join('\n')}\nexport {};\n${code}\n`;
}
