import type { INestApplication } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ActivityService } from '../lib/index.js';
import { DemoUser } from './demo-user.entity.js';

const DAY = 86_400_000;

/**
 * Four months of a small SaaS: 120 users joining over time, each active on some
 * days at office hours (fading with age, quieter at weekends, a few pausing for weeks), imported with `backfill` as an operator would import history.
 * A deterministic generator, so every demo run shows the same figures.
 */
export async function seedDemo(app: INestApplication, now = Date.now()): Promise<{ users: number; souvenirs: number }> {
  const users = app.get<Repository<DemoUser>>(getRepositoryToken(DemoUser));
  if ((await users.count()) > 0) return { users: await users.count(), souvenirs: 0 };

  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const start = now - 120 * DAY;
  const saved = await users.save(
    Array.from({ length: 120 }, (_, i) => ({
      name: `user${i + 1}`,
      joinedAt: new Date(start + random() * 110 * DAY),
      isActive: random() < 0.85,
    })),
  );
  // What the Analytics page is worth looking at: cohorts that decay (activity fades with
  // age, except for a loyal core), a weekly rhythm (quiet weekends), and a few users who
  // go silent for weeks, then come back (resurrected).
  function* sightings() {
    for (const user of saved) {
      const diligence = random();
      const loyal = random() < 0.25;
      const halfLifeDays = 10 + random() * 40;
      const pause = random() < 0.1 ? { from: 20 + random() * 30, days: 21 + random() * 21 } : null;
      for (let t = user.joinedAt.getTime(); t < now; t += DAY) {
        const age = (t - user.joinedAt.getTime()) / DAY;
        if (pause && age >= pause.from && age < pause.from + pause.days) continue;
        const weekday = new Date(t).getUTCDay();
        const rhythm = weekday === 0 || weekday === 6 ? 0.3 : 1;
        const fading = loyal ? 1 : Math.max(0.08, 0.5 ** (age / halfLifeDays));
        if (age < 1 || random() < diligence * 0.7 * rhythm * fading) yield { user: user.id, when: new Date(t + random() * 8 * 3_600_000) };
      }
    }
  }
  const { added } = await app.get(ActivityService).backfill(sightings(), { batchSize: 500 });
  return { users: saved.length, souvenirs: added };
}
