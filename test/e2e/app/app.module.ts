import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { Axis } from '../../../lib/metricas/axes/axis.js';
import { StoredChoiceAxis } from '../../../lib/metricas/axes/stored-choice-axis.js';
import type { SouvenirsModuleOptions } from '../../../lib/souvenirs.options.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { OrdersController } from './orders.controller.js';
import { UserHeaderGuard } from './user-header.guard.js';

/** The fixture app: the orders routes, users signed in from a header, SouvenirsModule with `souvenirs`. */
@Module({})
export class AppModule {
  static forRoot(database: DataSourceOptions, souvenirs: SouvenirsModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(database),
        SouvenirsModule.forRoot({
          metricas: [
            { name: 'orders', axes: { plan: new Axis({ choices: ['free', 'pro'] }), size: new StoredChoiceAxis({ maxChoices: 50 }) } },
          ],
          ...souvenirs,
        }),
      ],
      controllers: [OrdersController],
      providers: [{ provide: APP_GUARD, useClass: UserHeaderGuard }],
    };
  }
}
