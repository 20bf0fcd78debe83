import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { Runtime, RuntimeModule } from '@tongban/runtime';
import { DeadLettersController } from './admin/dead-letters.controller';
import { ClientCertificateGuard } from './auth/client-certificate.guard';
import { AuditController } from './ledger/audit.controller';
import { LedgerController } from './ledger/ledger.controller';
import { MaterialsController } from './materials/materials.controller';
import { OpsController } from './ops/ops.controller';
import { CasesController } from './partner/cases.controller';
import { InboxController } from './partner/inbox.controller';
import { MessagesController } from './partner/messages.controller';
import { ProblemDetailsFilter } from './problem/problem-details.filter';

export const PARTNER_CONTROLLERS = [MessagesController, InboxController, CasesController, DeadLettersController, MaterialsController, LedgerController, AuditController];

const shared = [
  { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  { provide: APP_PIPE, useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }) },
];

/** The partner API, served on mutual TLS. Every route passes the certificate guard (default deny). */
@Module({})
export class PartnerApiModule {
  static forRoot(runtime: Runtime): DynamicModule {
    return {
      module: PartnerApiModule,
      imports: [RuntimeModule.forRoot(runtime)],
      controllers: PARTNER_CONTROLLERS,
      providers: [...shared, { provide: APP_GUARD, useClass: ClientCertificateGuard }],
    };
  }
}

/** Health, metrics and the API docs, on a plain HTTP port meant for the operators' network. */
@Module({})
export class OpsApiModule {
  static forRoot(runtime: Runtime): DynamicModule {
    return { module: OpsApiModule, imports: [RuntimeModule.forRoot(runtime)], controllers: [OpsController], providers: shared };
  }
}
