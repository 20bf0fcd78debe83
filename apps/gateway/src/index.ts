export * from './gateway.bootstrap';
export * from './gateway.module';
export * from './openapi';
export { CALLER_KIND } from './auth/caller';
