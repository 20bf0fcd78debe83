import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AcceptMessageUseCase, GetMessageStatusUseCase } from '@tongban/cases';
import { ExchangeMetrics } from '@tongban/runtime';
import type { FastifyReply } from 'fastify';
import { CallableBy, Caller, CurrentCaller } from '../auth/caller';
import { AcceptedMessageDto, MessageStatusDto } from './partner.dto';

@ApiTags('partner: messages')
@Controller('v1/messages')
@CallableBy('district')
export class MessagesController {
  constructor(
    private readonly acceptMessage: AcceptMessageUseCase,
    private readonly messageStatus: GetMessageStatusUseCase,
    private readonly metrics: ExchangeMetrics,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Hand a signed case message to another district', description: 'Body: the compact JWS over the RFC 8785 canonical envelope body.' })
  @ApiConsumes('application/jose')
  @ApiBody({ schema: { type: 'string', example: 'eyJhbGciOiJFUzI1NiIs…' } })
  @ApiResponse({ status: 202, type: AcceptedMessageDto, description: 'Accepted and committed; delivery follows asynchronously' })
  @ApiResponse({ status: 200, type: AcceptedMessageDto, description: 'This message id was accepted before: the original receipt' })
  @ApiResponse({ status: 400, description: 'ENVELOPE_MALFORMED, SIGNATURE_INVALID, UNKNOWN_KEY_ID, UNKNOWN_CONTRACT_VERSION, SENT_AT_OUT_OF_WINDOW (problem+json)' })
  @ApiResponse({ status: 403, description: 'SENDER_NOT_CALLER, NOT_IN_AGREEMENT, UNKNOWN_DISTRICT' })
  @ApiResponse({ status: 409, description: 'MESSAGE_ID_REUSED, CASE_EXISTS, ACTION_NOT_ALLOWED (with allowedActions)' })
  @ApiResponse({ status: 413, description: 'PAYLOAD_TOO_LARGE' })
  @ApiResponse({ status: 415, description: 'UNSUPPORTED_MEDIA_TYPE: the body must be sent as application/jose' })
  @ApiResponse({ status: 422, description: 'SCHEMA_VIOLATION (with violations[].pointer), CONTRACT_VERSION_NOT_ACCEPTED, REFERENCE_MISMATCH, UNMAPPED_CODE (a partner code missing from the sender\'s code table; configKey names it)' })
  async submit(@Body() envelope: string, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply): Promise<AcceptedMessageDto> {
    // Fastify also parses text/plain and application/json into a string: only the declared media type is an envelope.
    const mediaType = String(reply.request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/jose') {
      throw new UnsupportedMediaTypeException({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send envelopes as Content-Type: application/jose (the compact JWS).' });
    }
    const stop = this.metrics.acceptSeconds.startTimer();
    const text = typeof envelope === 'string' ? envelope.trim() : '';
    const result = await this.acceptMessage.execute({ envelope: text, callerDistrict: caller.id, sizeBytes: Buffer.byteLength(text) });
    stop();
    this.metrics.accepted.inc({ type: result.messageType, duplicate: String(result.duplicate) });
    if (result.duplicate) reply.status(200);
    return { messageId: result.messageId, receipt: result.receipt, duplicate: result.duplicate, statusUrl: `/v1/messages/${result.messageId}` };
  }

  @Get(':messageId')
  @ApiOperation({ summary: 'Where a message stands (sender or recipient only)' })
  @ApiOkResponse({ type: MessageStatusDto })
  status(@Param('messageId', new ParseUUIDPipe()) messageId: string, @CurrentCaller() caller: Caller): Promise<MessageStatusDto> {
    return this.messageStatus.execute(caller.id, messageId);
  }
}
