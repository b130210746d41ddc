/**
 * `--app X` / `--app=X`, wherever it stands (before or after the command), and the
 * remaining arguments in their order: users write `souvenirs show-usage --app X` as often
 * as `souvenirs --app X show-usage`. Everything after `--` is left alone.
 * @internal
 */
export function splitAppFlag(argv: readonly string[]): { app?: string; rest: string[] } {
  const rest: string[] = [];
  let app: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--app') app = argv[++i];
    else if (arg.startsWith('--app=')) app = arg.slice('--app='.length);
    else rest.push(arg);
  }
  return { app, rest };
}
