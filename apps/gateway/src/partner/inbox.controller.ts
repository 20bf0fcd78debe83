import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcknowledgeInboxUseCase, PullInboxUseCase } from '@tongban/cases';
import { CallableBy, Caller, CurrentCaller } from '../auth/caller';
import { AcknowledgeInboxDto, AcknowledgeInboxResultDto, InboxPageDto, InboxQueryDto } from './partner.dto';

@ApiTags('partner: inbox')
@Controller('v1/inbox')
@CallableBy('district')
export class InboxController {
  constructor(
    private readonly pullInbox: PullInboxUseCase,
    private readonly acknowledgeInbox: AcknowledgeInboxUseCase,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Messages waiting for the calling district, oldest first', description: 'They stay until acknowledged; `after` pages past a batch without acknowledging it.' })
  @ApiOkResponse({ type: InboxPageDto })
  async pull(@Query() query: InboxQueryDto, @CurrentCaller() caller: Caller): Promise<InboxPageDto> {
    const page = await this.pullInbox.execute(caller.id, query.after ?? null, query.limit ?? 100);
    return { items: page.items.map((i) => ({ ...i, deliveredAt: i.deliveredAt.toISOString() })), nextCursor: page.nextCursor };
  }

  @Post('ack')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge messages the district has stored' })
  @ApiOkResponse({ type: AcknowledgeInboxResultDto })
  ack(@Body() body: AcknowledgeInboxDto, @CurrentCaller() caller: Caller): Promise<AcknowledgeInboxResultDto> {
    return this.acknowledgeInbox.execute(caller.id, body.messageIds);
  }
}
