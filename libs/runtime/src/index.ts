export * from './logger';
export * from './metrics';
export * from './outbox-relay.runner';
export * from './runtime';
export * from './runtime.module';
export * from './undici-push.client';
export * from './process-main';
export * from './materials.providers';
