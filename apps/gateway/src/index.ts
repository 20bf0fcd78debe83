export * from './gateway.bootstrap';
export * from './gateway.module';
export * from './openapi';
