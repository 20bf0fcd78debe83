import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { StaffLoginUseCase, type StaffPrincipal } from '@tongban/cases';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** `__Host-`: the browser sends it only to this origin, over HTTPS, for every path — it cannot be planted by a sibling domain. */
export const SESSION_COOKIE = '__Host-tongban_session';
export const CSRF_HEADER = 'x-csrf-token';

type ConsoleRequest = FastifyRequest & { cookies: Record<string, string | undefined>; staff?: StaffPrincipal; sessionToken?: string; csrfToken?: string };

/**
 * Every console route but login: a live session cookie, and for anything that changes state the
 * session's CSRF token in a header (a cross-site form cannot read it, so cannot send it).
 */
@Injectable()
export class StaffSessionGuard implements CanActivate {
  constructor(private readonly login: StaffLoginUseCase) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await this.login.authenticate(token) : null;
    if (!token || !session) throw new UnauthorizedException({ code: 'SESSION_REQUIRED', message: 'Sign in first (the session is missing, expired or idle for too long).' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const sent = Buffer.from(String(request.headers[CSRF_HEADER] ?? ''));
      const expected = Buffer.from(session.csrfToken);
      if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
        throw new ForbiddenException({ code: 'CSRF_TOKEN_INVALID', message: `Send the session's CSRF token in the ${CSRF_HEADER} header.` });
      }
    }
    request.staff = session.staff;
    request.sessionToken = token;
    request.csrfToken = session.csrfToken;
    return true;
  }
}

export const CurrentStaff = createParamDecorator((_: unknown, ctx: ExecutionContext): StaffPrincipal => ctx.switchToHttp().getRequest<ConsoleRequest>().staff!);
export const SessionToken = createParamDecorator((_: unknown, ctx: ExecutionContext): string => ctx.switchToHttp().getRequest<ConsoleRequest>().sessionToken!);
/** The session's CSRF token: pages opened in a new tab (the rating tablet, the print page) read it from GET me. */
export const CsrfToken = createParamDecorator((_: unknown, ctx: ExecutionContext): string => ctx.switchToHttp().getRequest<ConsoleRequest>().csrfToken!);
