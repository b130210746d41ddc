import { get as httpGet } from 'node:http';

/** What a GET answered. */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  json<T = unknown>(): T;
}

/** GETs `url` over a connection closed afterwards, so no keep-alive socket outlives the test. */
export function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { agent: false, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers['content-type'] ?? ''),
          body,
          json: <T>() => JSON.parse(body) as T,
        });
      });
    });
    request.on('error', reject);
  });
}
