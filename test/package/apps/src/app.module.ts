import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SOUVENIRS_ENTITIES, SOUVENIRS_MIGRATIONS, SouvenirsModule } from 'nestjs-souvenirs';
import { AppController } from './app.controller.js';
import { IdentifyGuard } from './identify.guard.js';
import { User } from './user.entity.js';

// The database and the store come from the environment, as in any deployed app.
const database = JSON.parse(process.env.APP_DATABASE ?? '{}');
const redis = process.env.APP_REDIS_URL;

@Module({
  imports: [
    TypeOrmModule.forRoot({
      ...database,
      entities: [...SOUVENIRS_ENTITIES, User],
      migrations: [...SOUVENIRS_MIGRATIONS],
      migrationsRun: true,
    }),
    SouvenirsModule.forRoot({
      ...(redis ? { redis, keyPrefix: process.env.APP_REDIS_PREFIX } : {}),
      users: { entity: User, joinedAt: 'createdAt', isActive: 'isActive' },
      dashboard: { public: true },
      prometheus: { public: true },
    }),
  ],
  controllers: [AppController],
  providers: [{ provide: APP_GUARD, useClass: IdentifyGuard }],
})
export class AppModule {}
