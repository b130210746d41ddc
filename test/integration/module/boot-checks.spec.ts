import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error.js';
import { InvalidTrackDecoratorError } from '../../../lib/errors/invalid-track-decorator.error.js';
import { TypeOrmConnectionMissingError } from '../../../lib/errors/typeorm-connection-missing.error.js';
import { Axis } from '../../../lib/metricas/axes/axis.js';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import type { SouvenirsModuleOptions } from '../../../lib/souvenirs.options.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { NoTrack } from '../../../lib/tracking/no-track.decorator.js';
import { Track } from '../../../lib/tracking/track.decorator.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';

const ORDERS = { name: 'orders', axes: { plan: new Axis({ choices: ['free', 'pro'] }) } };

@Controller('orders')
class OrdersController {
  @Track('orders', { axes: { plan: 'pro' } })
  @Get()
  list() {
    return [];
  }
}

@Controller('typo')
class MetricaTypoController {
  @Track('ordres')
  @Get()
  list() {
    return [];
  }
}

@Controller('axis')
class AxisTypoController {
  @Track('orders', { axes: { plan: 'pro', size: 3 } })
  @Get()
  list() {
    return [];
  }
}

/** A class-level @Track on a controller whose only route opts out: nothing to check. */
@Track('ordres')
@Controller('quiet')
class QuietController {
  @NoTrack()
  @Get()
  list() {
    return [];
  }
}

/** Defines `orders` itself, in onModuleInit: early enough for the routes tracking it. */
@Injectable()
class OrdersMetricaDefiner implements OnModuleInit {
  constructor(private readonly registry: MetricaRegistry) {}
  onModuleInit(): void {
    this.registry.define(ORDERS);
  }
}

describe('misconfiguration stops the boot', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite', { entities: [TestUser] });
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });
  afterAll(async () => {
    await database?.drop();
  });

  /** Boots an app (with `init()`, which runs onApplicationBootstrap) like NestFactory would. */
  async function boot(options: SouvenirsModuleOptions, controllers: Type[] = [], providers: Type[] = []) {
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot(database.options), SouvenirsModule.forRoot(options)],
      controllers,
      providers,
    }).compile();
    await moduleRef.init();
    return moduleRef;
  }

  describe('users: { entity, joinedAt, isActive } against the entity metadata', () => {
    it('boots with the real property names', async () => {
      await boot({ users: { entity: TestUser, joinedAt: 'dateJoined', isActive: 'isActive' } });
    });

    it.each([
      ['joinedAt', { entity: TestUser, joinedAt: 'date_joined' }, /users\.joinedAt.*TestUser.*dateJoined/],
      ['isActive', { entity: TestUser, joinedAt: 'dateJoined', isActive: 'active' }, /users\.isActive.*isActive.*"active"/],
    ])('a wrong %s names the property and the ones there are', async (_option, users, message) => {
      const booted = boot({ users });
      await expect(booted).rejects.toThrow(InvalidOptionError);
      await expect(booted).rejects.toThrow(message);
    });

    it('an entity the DataSource does not know says to add it to `entities`', async () => {
      class Stranger {}
      const booted = boot({ users: { entity: Stranger, joinedAt: 'createdAt' } });
      await expect(booted).rejects.toThrow(InvalidOptionError);
      await expect(booted).rejects.toThrow(/users\.entity.*add Stranger to its `entities`/);
    });
  });

  describe('@Track() against the registry, at bootstrap', () => {
    it('boots when every tracked metrica and axis is defined, in the option or in an onModuleInit', async () => {
      await boot({ metricas: [ORDERS] }, [OrdersController, QuietController]);
      moduleRef = (await moduleRef?.close(), undefined);
      await boot({}, [OrdersController], [OrdersMetricaDefiner]);
    });

    it('an undefined metrica names the route and says where to define it', async () => {
      const booted = boot({ metricas: [ORDERS] }, [OrdersController, MetricaTypoController]);
      await expect(booted).rejects.toThrow(InvalidTrackDecoratorError);
      await expect(booted).rejects.toThrow(/MetricaTypoController\.list: metrica "ordres" is not defined \(defined: "orders", "response_time"\)/);
    });

    it('an axis the metrica does not have names it and the axes there are', async () => {
      const booted = boot({ metricas: [ORDERS] }, [AxisTypoController]);
      await expect(booted).rejects.toThrow(InvalidTrackDecoratorError);
      await expect(booted).rejects.toThrow(/AxisTypoController\.list: metrica "orders" has no axis "size" \(its axes: "plan"\)/);
    });

    it('is skipped under track: false, where no route records', async () => {
      await boot({ track: false }, [MetricaTypoController]);
    });
  });

  it('no TypeORM connection says to import TypeOrmModule.forRoot with SOUVENIRS_ENTITIES', async () => {
    const compiled = Test.createTestingModule({ imports: [SouvenirsModule.forRoot()] }).compile();
    await expect(compiled).rejects.toThrow(TypeOrmConnectionMissingError);
    await expect(compiled).rejects.toThrow(/TypeOrmModule\.forRoot.*SOUVENIRS_ENTITIES/);
  });
});
