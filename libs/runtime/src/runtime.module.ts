import { DynamicModule, Global, Module } from '@nestjs/common';
import {
  AcceptMessageUseCase,
  AcknowledgeInboxUseCase,
  Clock,
  DeadLettersUseCase,
  DeliverMessageUseCase,
  EmitDeadlineEventsUseCase,
  ExchangePolicy,
  GetCaseUseCase,
  GatewaySigner,
  GetMessageStatusUseCase,
  HandoffStore,
  IdGenerator,
  MessageCatalogue,
  MessagePublisher,
  OutboxSignal,
  PullInboxUseCase,
  PushClient,
  RelayOutboxUseCase,
  CollectCaseUseCase,
  ConsoleQueriesUseCase,
  DashboardStore,
  DashboardUseCase,
  DistrictSigner,
  PasswordHasher,
  RatingUseCase,
  SendFromConsoleUseCase,
  StepContractUseCase,
  ProvisionDemoStaffUseCase,
  StaffLoginUseCase,
  StaffStore,
  TotpService,
} from '@tongban/cases';
import { ContractRegistry } from '@tongban/contracts';
import { KeyRing, signConversion, signEnvelope, signReceipt } from '@tongban/envelope';
import { TypeOrmDashboardStore, TypeOrmHandoffStore, TypeOrmStaffStore } from '@tongban/persistence';
import { PkiDirectoryDistrictSigner } from './district-signer';
import { OtpauthTotpService, ScryptPasswordHasher } from './staff.adapters';
import { v7 as uuidv7 } from 'uuid';
import { LEDGER_USE_CASES, ledgerProviders } from './ledger.providers';
import { MATERIAL_USE_CASES, materialsProviders } from './materials.providers';
import { ExchangeMetrics } from './metrics';
import type { Runtime } from './runtime';
import { UndiciPushClient } from './undici-push.client';

export const RUNTIME = Symbol('RUNTIME');

const USE_CASES = [
  AcceptMessageUseCase,
  RelayOutboxUseCase,
  DeliverMessageUseCase,
  PullInboxUseCase,
  AcknowledgeInboxUseCase,
  GetMessageStatusUseCase,
  GetCaseUseCase,
  DeadLettersUseCase,
  EmitDeadlineEventsUseCase,
  ...MATERIAL_USE_CASES,
  ...LEDGER_USE_CASES,
  StaffLoginUseCase,
  ProvisionDemoStaffUseCase,
  ConsoleQueriesUseCase,
  SendFromConsoleUseCase,
  StepContractUseCase,
  RatingUseCase,
  DashboardUseCase,
  CollectCaseUseCase,
];

/** Binds the ports of @tongban/cases to the runtime's adapters, for any app of this process. */
@Global()
@Module({})
export class RuntimeModule {
  static forRoot(runtime: Runtime): DynamicModule {
    const { config } = runtime;
    const providers = [
      { provide: RUNTIME, useValue: runtime },
      { provide: ExchangeMetrics, useValue: runtime.metrics },
      { provide: HandoffStore, useValue: new TypeOrmHandoffStore(runtime.database.dataSource) },
      { provide: KeyRing, useValue: runtime.keys },
      { provide: ContractRegistry, useValue: runtime.contracts },
      {
        provide: ExchangePolicy,
        useValue: {
          alliance: config.alliance,
          maxMessageBytes: config.messages.maxBytes,
          sentAtPastSeconds: config.messages.sentAtPastSeconds,
          sentAtFutureSeconds: config.messages.sentAtFutureSeconds,
          calendars: { forDistrict: (id: string) => runtime.calendars.forDistrict(id) },
        } satisfies ExchangePolicy,
      },
      { provide: MessageCatalogue, useValue: new MessageCatalogue() },
      {
        provide: GatewaySigner,
        useValue: {
          gatewayId: config.gatewayId,
          signReceipt: (body) => signReceipt(body, runtime.gatewaySigningKey),
          signConversion: (body) => signConversion(body, runtime.gatewaySigningKey),
          signEnvelope: (body, contract) => signEnvelope(body, runtime.gatewaySigningKey, contract),
        } satisfies GatewaySigner,
      },
      { provide: OutboxSignal, useValue: runtime.outboxSignal },
      { provide: MessagePublisher, useValue: { publish: (batch) => runtime.bus.publish(batch) } satisfies MessagePublisher },
      { provide: PushClient, useFactory: () => new UndiciPushClient(runtime.tls, config.delivery.pushTimeoutMs) },
      { provide: Clock, useValue: runtime.clock },
      { provide: IdGenerator, useValue: { next: () => uuidv7() } satisfies IdGenerator },
      ...materialsProviders(runtime),
      ...ledgerProviders(runtime),
      { provide: StaffStore, useValue: new TypeOrmStaffStore(runtime.database.dataSource) },
      { provide: DashboardStore, useValue: new TypeOrmDashboardStore(runtime.database.dataSource) },
      { provide: PasswordHasher, useValue: new ScryptPasswordHasher() },
      { provide: TotpService, useValue: new OtpauthTotpService() },
      { provide: DistrictSigner, useValue: new PkiDirectoryDistrictSigner(config.pki.dir) },
      ...USE_CASES,
    ];
    return { module: RuntimeModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}
