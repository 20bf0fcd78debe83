import { DynamicModule, Module } from '@nestjs/common';
import { Runtime, RuntimeModule } from '@tongban/runtime';
import { DeliveryController } from './delivery.controller';

@Module({})
export class WorkerModule {
  static forRoot(runtime: Runtime): DynamicModule {
    return { module: WorkerModule, imports: [RuntimeModule.forRoot(runtime)], controllers: [DeliveryController] };
  }
}
