import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A TypeScript child process of a test (run with scripts/register-ts.mjs) that talks in
 * lines: the test writes commands to its stdin and reads its stdout line by line.
 */
export class LineWorker {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private readonly waiters: Array<() => void> = [];
  private stderr = '';

  /**
   * @param script absolute path of the worker's .ts file
   * @param config passed as JSON in the first argument
   * @param env added to the test's environment (`TZ`, …)
   */
  constructor(script: string, config: object, env: Record<string, string> = {}) {
    const childEnv = { ...process.env, ...env };
    delete childEnv.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
    this.child = spawn(process.execPath, ['--import', './scripts/register-ts.mjs', script, JSON.stringify(config)], {
      cwd: ROOT,
      env: childEnv,
    });
    this.child.stderr.on('data', (chunk) => (this.stderr += String(chunk)));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.lines.push(line);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.child.on('exit', () => this.waiters.splice(0).forEach((wake) => wake()));
  }

  /** The next line of output, or an error with the worker's stderr if it exits first. */
  async nextLine(): Promise<string> {
    while (this.lines.length === 0) {
      if (this.child.exitCode !== null) throw new Error(`worker exited (${this.child.exitCode}): ${this.stderr}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.lines.shift()!;
  }

  /** Writes one line to the worker's stdin. */
  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** The exit code, once the worker has exited. */
  async exited(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    return new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Kills the worker if it still runs. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
