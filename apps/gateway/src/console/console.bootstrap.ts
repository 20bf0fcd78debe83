import { DynamicModule, HttpException, INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { dirname, join } from 'node:path';
import { PinoNestLogger, Runtime, RuntimeModule } from '@tongban/runtime';
import { ProblemDetailsFilter } from '../problem/problem-details.filter';
import { acceptStreamedBodies } from '../materials/streamed-body';
import { ConsoleCasesController } from './console-cases.controller';
import { ConsoleDashboardController } from './console-dashboard.controller';
import { ConsoleIntakeController } from './console-intake.controller';
import { ConsoleSessionController } from './console.controller';
import { StaffSessionGuard } from './staff-session.guard';

@Module({})
export class ConsoleModule {
  static forRoot(runtime: Runtime): DynamicModule {
    return {
      module: ConsoleModule,
      imports: [RuntimeModule.forRoot(runtime)],
      controllers: [ConsoleSessionController, ConsoleCasesController, ConsoleDashboardController, ConsoleIntakeController],
      providers: [StaffSessionGuard, { provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}

/** Sign-in attempts per client address and user name per minute, on top of the per-account lock-out. */
export const LOGIN_RATE_PER_MINUTE = 10;

/**
 * The desk console's listener: HTTPS with the gateway's server certificate (browsers, no client
 * certificates), security headers on every answer, and a rate limit on sign-in.
 */
export async function bootstrapConsole(runtime: Runtime, listener: { host: string; port: number }): Promise<INestApplication> {
  const adapter = new FastifyAdapter({ https: { cert: runtime.tls.cert, key: runtime.tls.key, minVersion: 'TLSv1.2' }, trustProxy: false });
  acceptStreamedBodies(adapter.getInstance()); // scanned materials are read as a stream, never buffered whole
  const app = await NestFactory.create<NestFastifyApplication>(ConsoleModule.forRoot(runtime), adapter, {
    logger: new PinoNestLogger(runtime.logger.child({ app: 'console' })),
    abortOnError: false,
  });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"] } },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    max: LOGIN_RATE_PER_MINUTE,
    timeWindow: '1 minute',
    // After body parsing, so the key can name the account: one desk's typos do not lock out the hall
    // behind the same address, and a guesser at one account is stopped after 10 tries a minute.
    hook: 'preHandler',
    keyGenerator: (request) => `${request.ip}|${String((request.body as { username?: unknown } | undefined)?.username ?? '')}`,
    // Only sign-in is limited: it is where passwords are guessed.
    allowList: (request) => !request.url.startsWith('/console/api/login'),
    // Thrown into Nest's exception handling, which answers HttpExceptions with their own status.
    errorResponseBuilder: (_request, context) =>
      new HttpException({ code: 'RATE_LIMITED', message: `Too many sign-in attempts from this address; try again in ${Math.ceil(context.ttl / 1000)} s.` }, 429),
  });
  // The screens: static files, served as they are (no build step), under the same CSP.
  await app.register(fastifyStatic, { root: join(__dirname, 'static'), prefix: '/console/', index: ['index.html'] });
  // Apache ECharts for the supervisor dashboard, the npm package's own build, served from this origin
  // (script-src 'self' holds; it draws on canvas, so style-src 'self' does too). Only that one file.
  await app.register(fastifyStatic, {
    root: dirname(require.resolve('echarts/dist/echarts.min.js')),
    prefix: '/console/vendor/echarts/',
    decorateReply: false,
    index: false,
    allowedPath: (path) => path === '/echarts.min.js',
  });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  await app.listen(listener.port, listener.host);
  return app;
}
