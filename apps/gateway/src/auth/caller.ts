import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';

export type CallerKind = 'district' | 'operator' | 'auditor';
export interface Caller {
  kind: CallerKind;
  /** District id, operator name or auditor name. */
  id: string;
  /** Auditors only: the districts they may audit (undefined: all). */
  scope?: readonly string[];
}

export const CALLER_KIND = 'tongban:caller-kind';
/** Declares who may call a route. A partner-API route without it is refused (default deny). */
export const CallableBy = (kind: CallerKind) => SetMetadata(CALLER_KIND, kind);

/** The identity the client certificate proved, set by the ClientCertificateGuard. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  return ctx.switchToHttp().getRequest<{ caller: Caller }>().caller;
});
