import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Route config key of routes that read their body as a stream (see StreamedBody). */
export const STREAMED_BODY = 'tongbanStreamedBody';
const STREAM_MEDIA_TYPE = 'application/octet-stream';
/** Where a streamed route finds the media type the client sent as Content-Type. */
export const MEDIA_TYPE_HEADER = 'x-tongban-media-type';

/**
 * Marks a route whose body is the raw request stream, never parsed nor buffered (Fastify's bodyLimit
 * does not apply: the route enforces its own limit as it reads). Needs acceptStreamedBodies() on the
 * Fastify instance.
 */
export const StreamedBody = () => RouteConfig({ [STREAMED_BODY]: true });

function isStreamedRoute(request: FastifyRequest): boolean {
  return (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[STREAMED_BODY] === true;
}

/**
 * Fastify chooses a body parser by Content-Type, per instance, before the route runs; a parser cannot
 * be scoped to one Nest route. So, for routes marked @StreamedBody() only: an onRequest hook keeps the
 * client's Content-Type in x-tongban-media-type (unless the client set that header itself) and
 * relabels the body application/octet-stream, whose parser hands the stream on untouched. Any media
 * type (application/json and text/plain included, which Fastify would otherwise parse into memory)
 * thus reaches a streamed route as a stream. Other routes are unchanged: application/octet-stream
 * stays an unsupported media type there (415).
 */
export function acceptStreamedBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (isStreamedRoute(request)) {
      const headers = request.raw.headers;
      if (headers[MEDIA_TYPE_HEADER] === undefined && headers['content-type'] !== undefined) headers[MEDIA_TYPE_HEADER] = headers['content-type'];
      headers['content-type'] = STREAM_MEDIA_TYPE;
    }
    done();
  });
  fastify.addContentTypeParser(STREAM_MEDIA_TYPE, (request, payload, done) => {
    if (isStreamedRoute(request)) return done(null, payload);
    // What Fastify answers for a media type without a parser (the problem filter maps it to 415).
    done(Object.assign(new Error(`Unsupported Media Type: ${STREAM_MEDIA_TYPE}`), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }), undefined);
  });
}
