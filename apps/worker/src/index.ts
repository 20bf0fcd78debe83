export * from './worker.bootstrap';
export * from './worker.module';
