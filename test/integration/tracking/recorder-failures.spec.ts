import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { TrackingRecorder } from '../../../lib/tracking/tracking-recorder.js';
import { createTestDatabase } from '../../support/databases.js';

class WarningCollector implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

describe('TrackingRecorder failures', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let moduleRef: TestingModule;
  const logs = new WarningCollector();

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot(database.options), SouvenirsModule.forRoot()],
    }).compile();
    await moduleRef.init();
    Logger.overrideLogger(logs);
  });

  afterAll(async () => {
    Logger.overrideLogger(new ConsoleLogger());
    jest.useRealTimers();
    await moduleRef?.close();
    await database?.drop();
  });

  it('logs every failed recording, those sharing one batch promise included, at a bounded rate', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const recorder = moduleRef.get(TrackingRecorder);
    let rejectBatch!: (error: Error) => void;
    const batch = new Promise<void>((_resolve, reject) => (rejectBatch = reject));
    // Three kicks of one batch (one shared promise), and one of another.
    for (let kick = 0; kick < 3; kick++) recorder.settle('response_time', () => batch);
    recorder.settle('response_time', () => Promise.reject(new Error('other batch lost')));
    rejectBatch(new Error('store down'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(logs.warnings).toEqual([expect.stringMatching(/^Tracking a request failed \(response_time\), the request was served anyway: Error: /)]);
    // The summary at the end of the interval counts the other three.
    jest.advanceTimersByTime(10_000);
    expect(logs.warnings).toHaveLength(2);
    expect(logs.warnings[1]).toMatch(/\(3 more like this in the last 10 s\)$/);
    jest.useRealTimers();
  });
});
