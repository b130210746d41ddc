import { describe, expect, it } from '@jest/globals';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import { UnexpectedStoreReplyError } from '../../../lib/errors/unexpected-store-reply.error.js';
import { isTransientStoreError } from '../../../lib/store/transient-store-error.js';

/** A Redis error reply as ioredis raises it (`ReplyError`). */
function replyError(message: string): Error {
  const error = new Error(message);
  error.name = 'ReplyError';
  return error;
}

describe('isTransientStoreError', () => {
  it('retries lost connections, timeouts and Cluster failovers', () => {
    expect(isTransientStoreError(new Error('Connection is closed.'))).toBe(true);
    expect(isTransientStoreError(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isTransientStoreError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    for (const reply of ['CLUSTERDOWN The cluster is down', 'TRYAGAIN Multiple keys request', 'LOADING Redis is loading', 'MOVED 3999 127.0.0.1:6381', 'READONLY You can\'t write against a read only replica.']) {
      expect(isTransientStoreError(replyError(reply))).toBe(true);
    }
  });

  it('does not retry what would fail the same way again', () => {
    expect(isTransientStoreError(new InvalidStoreArgumentError('incrementCounters', 'by', 'a safe integer', 1.5))).toBe(false);
    expect(isTransientStoreError(new UnexpectedStoreReplyError('HGET', 'an integer', 'x'))).toBe(false);
    expect(isTransientStoreError(replyError('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isTransientStoreError(replyError('ERR hash value is not an integer'))).toBe(false);
  });
});
