import { Souvenir } from './souvenir.entity.js';

/**
 * Every entity of nestjs-souvenirs: add them to your DataSource's `entities`
 * (and create their tables with `SOUVENIRS_MIGRATIONS`).
 *
 * @example
 * TypeOrmModule.forRoot({ type: 'postgres', entities: [...SOUVENIRS_ENTITIES, User], migrations: SOUVENIRS_MIGRATIONS })
 *
 * @publicApi
 */
export const SOUVENIRS_ENTITIES = [Souvenir];
