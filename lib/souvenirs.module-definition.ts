import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SouvenirsModuleOptions } from './souvenirs.options.js';

/**
 * `forRoot` / `forRootAsync` (useFactory, useClass, useExisting, imports, inject)
 * built by Nest itself. `isGlobal` (default `true`) makes the services injectable
 * everywhere, as the interceptor needs them app-wide anyway. A `useClass` options
 * factory implements `createSouvenirsOptions()`.
 * @internal
 */
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: SOUVENIRS_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SouvenirsModuleOptions>({ moduleName: 'Souvenirs' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createSouvenirsOptions')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * What a `useClass` / `useExisting` options factory of `forRootAsync` implements.
 *
 * @publicApi
 */
export interface SouvenirsOptionsFactory {
  createSouvenirsOptions(): SouvenirsModuleOptions | Promise<SouvenirsModuleOptions>;
}
