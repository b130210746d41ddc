import type { INestApplication } from '@nestjs/common';
import { MetricaRegistry, RESPONSE_TIME_METRICA } from '../lib/index.js';

const DAY = 86_400_000;

/**
 * Sixty days of orders (by plan and payment method, valued in euros), and thirty of
 * timed requests to the app's routes (a few failing), kicked with explicit dates so
 * the dashboard's charts have history. The memory store starts empty at every run, so
 * this runs every time; deterministic, like `seedDemo`. Answers the number of orders.
 */
export async function seedMetricas(app: INestApplication, now = Date.now()): Promise<number> {
  const orders = app.get(MetricaRegistry).get('orders');
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const plans = ['free', 'pro', 'team'] as const;
  const methods = ['card', 'transfer', 'paypal'];
  let kicks = 0;
  for (let day = 60; day >= 0; day--) {
    const perDay = Math.round(5 + random() * 10 + (60 - day) / 6);
    for (let i = 0; i < perDay; i++) {
      const date = new Date(now - day * DAY - random() * DAY);
      const plan = plans[Math.floor(random() ** 1.5 * plans.length)];
      const value = plan === 'free' ? 0 : plan === 'pro' ? 29 : 99;
      await orders.kick({ plan, method: methods[Math.floor(random() * methods.length)] }, { value, date });
      kicks++;
    }
  }
  await seedResponseTimes(app, now, random);
  await app.get(MetricaRegistry).flush();
  return kicks;
}

/** Thirty days of requests to the sample's routes: a typical time per route, a long tail, 2% failing. */
async function seedResponseTimes(app: INestApplication, now: number, random: () => number): Promise<void> {
  const responseTime = app.get(MetricaRegistry).get(RESPONSE_TIME_METRICA);
  const routes = [
    ['UsageController.active', 12, 40],
    ['UsageController.daily', 6, 25],
    ['UsageController.monthly', 4, 90],
  ] as const;
  for (let day = 30; day >= 1; day--) {
    for (const [view, perDay, typical] of routes) {
      for (let i = 0; i < perDay; i++) {
        // The last 30 × 24 hours up to now: today holds only its hours so far, as it would live.
        const date = new Date(now - (day - 1) * DAY - random() * DAY);
        const failed = random() < 0.02 ? 'QueryFailedError' : random() < 0.03 ? 'BadRequestException' : null;
        const value = Math.round(typical * (0.5 + random()) * (random() < 0.1 ? 4 : 1));
        const status = failed === 'QueryFailedError' ? '5xx' : failed ? '4xx' : '2xx';
        await responseTime.kick({ view, exception: failed, status }, { value, date });
      }
    }
  }
}
