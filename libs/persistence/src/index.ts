export * from './database';
export * from './typeorm-handoff.store';
export * from './entities/admin-action.entity';
export * from './entities/case.entity';
export * from './entities/delivery.entity';
export * from './entities/message.entity';
export * from './entities/outbox.entity';
export * from './entities/rejection.entity';
