import { Body, Controller, Get, HttpCode, Ip, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { LoginError, LoginFailure, StaffLoginUseCase, type StaffPrincipal } from '@tongban/cases';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CsrfToken, CurrentStaff, SESSION_COOKIE, SessionToken, StaffSessionGuard } from './staff-session.guard';

export class LoginDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(64) username!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(256) password!: string;
  @ApiProperty({ description: 'The 6-digit code of the authenticator app (TOTP, RFC 6238)' }) @Matches(/^[0-9]{6}$/) totp!: string;
}

/** The desk console's session API: sign in with password + one-time code, who am I, sign out. */
@ApiTags('console')
@Controller('console/api')
export class ConsoleSessionController {
  constructor(private readonly login: StaffLoginUseCase) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: password and TOTP code; sets the session cookie and returns the CSRF token' })
  async signIn(@Body() body: LoginDto, @Ip() ip: string, @Res({ passthrough: true }) reply: FastifyReply) {
    try {
      const session = await this.login.login({ username: body.username, password: body.password, totp: body.totp, ip });
      reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, secure: true, sameSite: 'strict', path: '/', expires: session.expiresAt });
      return { staff: session.staff, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
    } catch (error) {
      if (!(error instanceof LoginError)) throw error;
      reply.status(error.code === LoginFailure.ACCOUNT_LOCKED ? 423 : 401);
      return { code: error.code, detail: error.message, ...(error.lockedUntil ? { lockedUntil: error.lockedUntil.toISOString() } : {}) };
    }
  }

  @Get('me')
  @UseGuards(StaffSessionGuard)
  @ApiOperation({
    summary: "The signed-in staff member, and the session's CSRF token",
    description: 'Same-origin only (a cross-site page cannot read the answer), so a tab the console opens — the rating tablet, a reload — can pick the token up again.',
  })
  me(@CurrentStaff() staff: StaffPrincipal, @CsrfToken() csrfToken: string) {
    return { ...staff, csrfToken };
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(StaffSessionGuard)
  @ApiOperation({ summary: 'Sign out (needs the CSRF token header)' })
  async signOut(@CurrentStaff() staff: StaffPrincipal, @SessionToken() token: string, @Ip() ip: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.login.logout(token, staff, ip);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}
