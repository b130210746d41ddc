import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from './free-ports.js';

/** A throwaway Prometheus server (Debian's `prometheus`) scraping loopback targets. */
export interface PrometheusServer {
  readonly url: string;
  /** Runs an instant PromQL query; the vector's samples as `[labels, value]`. */
  query(promql: string): Promise<Array<[Record<string, string>, number]>>;
  /** Polls `query` until `accept` holds of its answer (at most `timeoutMs`); returns the last answer. */
  waitFor(promql: string, accept: (samples: Array<[Record<string, string>, number]>) => boolean, timeoutMs?: number): Promise<Array<[Record<string, string>, number]>>;
  stop(): Promise<void>;
}

/**
 * Starts `prometheus` on a free loopback port, with a temp config and storage
 * directory, scraping each job's target every second, and waits until it is ready.
 *
 * @param jobs job name → `host:port` and metrics path of the target.
 */
export async function startPrometheus(jobs: Record<string, { target: string; path: string }>): Promise<PrometheusServer> {
  const [port] = await freePorts(1);
  const dir = await mkdtemp(join(tmpdir(), 'souvenirs-prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    'scrape_configs:',
    ...Object.entries(jobs).flatMap(([job, { target, path }]) => [
      `  - job_name: ${job}`,
      `    metrics_path: ${path}`,
      '    static_configs:',
      `      - targets: ['${target}']`,
    ]),
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), `${config}\n`);
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then((response) => response.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus on port ${port} was not ready within 15 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const query = async (promql: string): Promise<Array<[Record<string, string>, number]>> => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; error?: string; data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
    return body.data.result.map(({ metric, value }) => [metric, Number(value[1])]);
  };
  const waitFor: PrometheusServer['waitFor'] = async (promql, accept, timeoutMs = 15_000) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const samples = await query(promql);
      if (accept(samples) || Date.now() > until) return samples;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  return { url, query, waitFor, stop };
}
