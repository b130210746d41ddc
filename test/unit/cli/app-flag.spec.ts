import { describe, expect, it } from '@jest/globals';
import { splitAppFlag } from '../../../lib/cli/app-flag.js';

describe('splitAppFlag', () => {
  it.each([
    [['--app', 'a.js', 'show-usage', '--daily'], 'a.js', ['show-usage', '--daily']],
    [['--app=a.js#M', 'show-usage'], 'a.js#M', ['show-usage']],
    [['show-usage', '--app', 'a.js', '--daily'], 'a.js', ['show-usage', '--daily']],
    [['show-usage', '--daily', '--app=a.js'], 'a.js', ['show-usage', '--daily']],
    [['backfill', '--', '--app', 'file'], undefined, ['backfill', '--', '--app', 'file']],
    [['show-usage'], undefined, ['show-usage']],
  ])('%j gives app %j and %j', (argv, app, rest) => {
    expect(splitAppFlag(argv)).toEqual({ app, rest });
  });
});
