import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { CaseError, CaseErrorCode, HandoffStore } from '@tongban/cases';
import { RUNTIME, Runtime } from '@tongban/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TLSSocket } from 'node:tls';

/** HTTP status of every stable case error code. Exhaustive: a new code fails the build until mapped. */
export const STATUS_OF: Record<CaseErrorCode, number> = {
  [CaseErrorCode.ENVELOPE_MALFORMED]: 400,
  [CaseErrorCode.ENVELOPE_NOT_CANONICAL]: 400,
  [CaseErrorCode.SIGNATURE_INVALID]: 400,
  [CaseErrorCode.UNKNOWN_KEY_ID]: 400,
  [CaseErrorCode.SENDER_NOT_CALLER]: 403,
  [CaseErrorCode.UNKNOWN_DISTRICT]: 403,
  [CaseErrorCode.NOT_IN_AGREEMENT]: 403,
  [CaseErrorCode.UNKNOWN_CONTRACT]: 400,
  [CaseErrorCode.UNKNOWN_CONTRACT_VERSION]: 400,
  [CaseErrorCode.CONTRACT_VERSION_NOT_ACCEPTED]: 422,
  [CaseErrorCode.CONTRACT_TYPE_MISMATCH]: 400,
  [CaseErrorCode.CONVERSION_FAILED]: 422,
  [CaseErrorCode.SCHEMA_VIOLATION]: 422,
  [CaseErrorCode.SENT_AT_OUT_OF_WINDOW]: 400,
  [CaseErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [CaseErrorCode.MESSAGE_ID_REUSED]: 409,
  [CaseErrorCode.CASE_EXISTS]: 409,
  [CaseErrorCode.CASE_NOT_FOUND]: 404,
  [CaseErrorCode.ACTION_NOT_ALLOWED]: 409,
  [CaseErrorCode.REFERENCE_MISMATCH]: 422,
  [CaseErrorCode.MESSAGE_NOT_FOUND]: 404,
  [CaseErrorCode.NOT_A_PARTY]: 403,
  [CaseErrorCode.NOT_DEAD_LETTERED]: 409,
  [CaseErrorCode.MATERIAL_MISSING]: 422,
  [CaseErrorCode.MATERIAL_NOT_FOUND]: 404,
  [CaseErrorCode.MATERIAL_DIGEST_MISMATCH]: 422,
  [CaseErrorCode.MATERIAL_MALFORMED]: 400,
  [CaseErrorCode.UNMAPPED_CODE]: 422,
  [CaseErrorCode.LEDGER_ENTRY_NOT_FOUND]: 404,
  [CaseErrorCode.CHECKPOINT_NOT_FOUND]: 404,
  [CaseErrorCode.NOT_YET_CHECKPOINTED]: 409,
  [CaseErrorCode.COSIGNATURE_INVALID]: 422,
  [CaseErrorCode.LEDGER_QUERY_INVALID]: 400,
  [CaseErrorCode.PAGE_CURSOR_INVALID]: 400,
  [CaseErrorCode.INTAKE_INVALID]: 422,
  [CaseErrorCode.ROLE_REQUIRED]: 403,
};

const PROBLEM_BASE = 'https://tongban.example/problems/';

/** Refusals of a body the use case never saw (the HTTP layer or the controller refused it): recorded here. */
const RECORDED_BY_FILTER = new Set<string>([CaseErrorCode.PAYLOAD_TOO_LARGE, 'UNSUPPORTED_MEDIA_TYPE']);

/**
 * Every error leaves as RFC 9457 problem+json with a stable `code`. Bodies refused by the HTTP layer
 * itself (too large, wrong media type) never reach the use case, so they are recorded here.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(
    @Inject(RUNTIME) private readonly runtime: Runtime,
    private readonly store: HandoffStore,
  ) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest & { caller?: { id: string } }>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    if (problem.status >= 500) {
      this.runtime.logger.error({ err: exception instanceof Error ? exception.message : String(exception), path: request.url }, 'request failed');
    }
    if (problem.code !== undefined) this.runtime.metrics.rejected.inc({ code: problem.code });
    if (RECORDED_BY_FILTER.has(problem.code) && !(exception instanceof CaseError)) {
      await this.store
        .recordRejection({
          receivedAt: new Date(),
          peer: this.peerOf(request),
          code: problem.code,
          messageId: null,
          envelopeDigest: null,
          sizeBytes: Number(request.headers['content-length'] ?? 0),
          detail: problem.detail,
        })
        .catch(() => undefined);
    }
    await reply
      .status(problem.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send({ type: `${PROBLEM_BASE}${problem.code.toLowerCase().replace(/_/g, '-')}`, instance: request.url, ...problem });
  }

  /**
   * The district (or operator) of the client certificate. Body-parsing errors happen before the guard
   * has run, so the caller may not be set yet; the certificate still names the peer.
   */
  private peerOf(request: FastifyRequest & { caller?: { id: string } }): string {
    if (request.caller) return request.caller.id;
    try {
      const socket = request.raw.socket as TLSSocket;
      const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate(false) : undefined;
      if (peer?.raw) {
        const identity = this.runtime.certificates.identify(peer.raw);
        return identity.kind === 'district' ? identity.districtId : identity.kind === 'auditor' ? `auditor:${identity.auditor}` : identity.operator;
      }
    } catch {
      // revoked, expired, no identity: not a caller we can name
    }
    return 'unidentified';
  }

  private toProblem(exception: unknown): { status: number; code: string; title: string; detail: string; [k: string]: unknown } {
    if (exception instanceof CaseError) {
      const status = STATUS_OF[exception.code];
      return { status, code: exception.code, title: exception.code.replace(/_/g, ' ').toLowerCase(), detail: exception.message, ...exception.detail };
    }
    // Nest maps Fastify's own errors (body limit, content-type parsing) to an HttpException whose cause is the FastifyError.
    const fastifyCode = (exception as { code?: string } | undefined)?.code ?? (exception instanceof HttpException ? (exception.cause as { code?: string } | undefined)?.code : undefined);
    if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return { status: 413, code: CaseErrorCode.PAYLOAD_TOO_LARGE, title: 'payload too large', detail: `The request body exceeds the limit of ${this.runtime.config.messages.maxBytes} bytes.` };
    }
    if (fastifyCode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', title: 'unsupported media type', detail: 'Send envelopes as Content-Type: application/jose (the compact JWS).' };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse() as { code?: string; message?: string | string[] } | string;
      const body = typeof response === 'string' ? { message: response } : response;
      const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? exception.message);
      const code = body.code ?? (status === 400 ? 'BAD_REQUEST' : HttpStatus[status] ?? 'HTTP_ERROR');
      return { status, code, title: code.replace(/_/g, ' ').toLowerCase(), detail: message };
    }
    if (fastifyCode === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY' || (exception as { statusCode?: number } | undefined)?.statusCode === 400) {
      return { status: 400, code: 'BAD_REQUEST', title: 'bad request', detail: (exception as Error).message };
    }
    return { status: 500, code: 'INTERNAL', title: 'internal error', detail: 'The gateway failed to process the request; nothing was accepted. Retry later.' };
  }
}
