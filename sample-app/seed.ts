import type { INestApplication } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ActivityService } from '../lib/index.js';
import { DemoUser } from './demo-user.entity.js';

const DAY = 86_400_000;

/**
 * Four months of a small SaaS: 120 users joining over time, each active on some
 * days at office hours, imported with `backfill` as an operator would import history.
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
  function* sightings() {
    for (const user of saved) {
      const diligence = random();
      for (let t = user.joinedAt.getTime(); t < now; t += DAY) {
        if (random() < diligence * 0.6) yield { user: user.id, when: new Date(t + random() * 8 * 3_600_000) };
      }
    }
  }
  const { added } = await app.get(ActivityService).backfill(sightings(), { batchSize: 500 });
  return { users: saved.length, souvenirs: added };
}
