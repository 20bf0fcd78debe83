import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DeadLettersUseCase } from '@tongban/cases';
import { CallableBy, Caller, CurrentCaller } from '../auth/caller';

/** Administrators (operator certificates) inspect and replay dead-lettered messages. */
@ApiTags('admin: dead letters')
@Controller('v1/admin/dead-letters')
@CallableBy('operator')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersUseCase) {}

  @Get()
  @ApiOperation({ summary: 'Dead-lettered messages, newest first' })
  @ApiQuery({ name: 'recipient', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(@Query('recipient') recipient?: string, @Query('limit') limit?: string) {
    const items = await this.deadLetters.list(Number(limit ?? 100) || 100, recipient);
    return {
      items: items.map((m) => ({
        messageId: m.messageId,
        messageType: m.messageType,
        caseNumber: m.caseNumber,
        sender: m.sender,
        recipient: m.recipient,
        deadLetteredAt: m.deadLetteredAt?.toISOString() ?? null,
        reason: m.deadLetterReason,
        replayCount: m.replayCount,
      })),
    };
  }

  @Post(':messageId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Put a dead-lettered message back on its way (recorded as an admin action)' })
  async replay(@Param('messageId', new ParseUUIDPipe()) messageId: string, @CurrentCaller() caller: Caller) {
    await this.deadLetters.replay(messageId, caller.id);
    return { messageId, replayed: true };
  }
}
