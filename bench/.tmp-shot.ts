import 'reflect-metadata';
import { Controller, Get, Param } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { SouvenirsModule } from '../lib/souvenirs.module.js';
import { createTestDatabase } from '../test/support/databases.js';
import { startPrometheus } from '../test/support/prometheus-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
@Controller('shop')
class ShopController {
  @Get('items') async items() { await sleep(5 + Math.random() * 30); return []; }
  @Get('items/:id') async item(@Param('id') id: string) { await sleep(20 + Math.random() * 80); return { id }; }
  @Get('search') async search() { await sleep(Math.random() < 0.1 ? 400 + Math.random() * 400 : 60 + Math.random() * 150); return []; }
  @Get('checkout') async checkout() { await sleep(150 + Math.random() * 300); return { ok: true }; }
}
const database = await createTestDatabase('sqlite');
const moduleRef = await Test.createTestingModule({
  imports: [TypeOrmModule.forRoot(database.options), SouvenirsModule.forRoot({ prometheus: { public: true }, kickBuffer: { trackingFlushIntervalMs: 200 } })],
  controllers: [ShopController],
}).setLogger({ log() {}, warn() {}, error() {} }).compile();
const app = moduleRef.createNestApplication(new ExpressAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as AddressInfo;
const prometheus = await startPrometheus({ shop: { target: `127.0.0.1:${port}`, path: '/metrics' } });
const paths = ['/shop/items', '/shop/items/7', '/shop/search', '/shop/checkout'];
const until = Date.now() + 75_000;
const load = Array.from({ length: 6 }, async () => {
  while (Date.now() < until) await fetch(`http://127.0.0.1:${port}${paths[Math.floor(Math.random() * paths.length)]}`).then((r) => r.text());
});
await Promise.all(load);
const expr = 'histogram_quantile(0.95, sum by (view, le) (rate(souvenirs_response_time_seconds_bucket[15s])))';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
await page.goto(`${prometheus.url}/graph?g0.expr=${encodeURIComponent(expr)}&g0.tab=0&g0.range_input=1m&g0.stacked=0&g0.show_exemplars=0`);
await page.waitForSelector('.graph-legend, canvas, .flot-base', { timeout: 20_000 }).catch(() => undefined);
await sleep(3000);
await page.screenshot({ path: 'docs/prometheus-response-time.png' });
console.log(JSON.stringify(await prometheus.query(expr)));
await browser.close();
await prometheus.stop();
await app.close();
await database.drop();
