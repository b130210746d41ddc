import type { INestApplication } from '@nestjs/common';
import { MetricaRegistry } from '../lib/index.js';

const DAY = 86_400_000;

/**
 * Sixty days of orders (by plan and payment method, valued in euros), kicked with
 * explicit dates so the dashboard's charts have history. The memory store starts
 * empty at every run, so this runs every time; deterministic, like `seedDemo`.
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
  await app.get(MetricaRegistry).flush();
  return kicks;
}
