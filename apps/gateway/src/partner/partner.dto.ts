import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

export class AcceptedMessageDto {
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ description: "The gateway's signed receipt (compact JWS, typ tongban-receipt+jws) over the accepted envelope's digest" })
  receipt!: string;
  @ApiProperty({ description: 'True when this message id had been accepted before: the original receipt is returned' }) duplicate!: boolean;
  @ApiProperty({ example: '/v1/messages/0193…' }) statusUrl!: string;
}

export class InboxQueryDto {
  @ApiPropertyOptional({ description: 'Cursor from a previous page (nextCursor); omit to start at the oldest unacknowledged message' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'after must be a cursor returned by a previous page' })
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class InboxItemDto {
  @ApiProperty() seq!: string;
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ example: 'case.submission' }) messageType!: string;
  @ApiProperty({ example: 'case-submission@1.0.0', description: 'The contract version to read: the sender\'s, or the one the gateway converted to' })
  contract!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      "When the recipient cannot read the sender's payload as sent (it does not accept the sender's contract version, or either side uses " +
      'its own code table for result codes or satisfaction levels): the gateway-signed conversion (compact JWS, typ tongban-conversion+jws) ' +
      "whose body carries the payload to read, the digest of the sender's envelope and whose code tables were applied",
  })
  conversion!: string | null;
  @ApiProperty() sender!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty({ description: "The sender's envelope exactly as accepted (compact JWS)" }) envelope!: string;
  @ApiProperty({ description: "The gateway's receipt for it" }) receipt!: string;
  @ApiProperty({ format: 'date-time' }) deliveredAt!: string;
}

export class InboxPageDto {
  @ApiProperty({ type: [InboxItemDto] }) items!: InboxItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AcknowledgeInboxDto {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: 1000 })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  messageIds!: string[];
}

export class AcknowledgeInboxResultDto {
  @ApiProperty({ type: [String] }) acknowledged!: string[];
  @ApiProperty({ type: [String], description: 'Ids that were not pending in your inbox (already acknowledged, or not yours)' }) unknown!: string[];
}

export class MessageStatusDto {
  @ApiProperty() messageId!: string;
  @ApiProperty() messageType!: string;
  @ApiProperty() caseNumber!: string;
  @ApiProperty() sender!: string;
  @ApiProperty() recipient!: string;
  @ApiProperty({ enum: ['ACCEPTED', 'QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'DEAD_LETTERED'] }) status!: string;
  @ApiProperty() acceptedAt!: string;
  @ApiProperty({ nullable: true, type: String }) queuedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) deadLetteredAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) deadLetterReason!: string | null;
  @ApiProperty() receipt!: string;
}

export class TimelineEntryDto {
  @ApiProperty() messageId!: string;
  @ApiProperty({ example: 'case.acceptance' }) messageType!: string;
  @ApiProperty() sender!: string;
  @ApiProperty() recipient!: string;
  @ApiProperty({ example: 'acceptance@1.0.0', description: "The sender's contract version" }) contract!: string;
  @ApiProperty() acceptedAt!: string;
  @ApiProperty({ enum: ['ACCEPTED', 'QUEUED', 'DELIVERED', 'ACKNOWLEDGED', 'DEAD_LETTERED'] }) status!: string;
  @ApiProperty({ description: "Id of the gateway's receipt for it" }) receiptId!: string;
}

export class CaseDeadlinesDto {
  @ApiProperty({ nullable: true, type: String, description: '签收 time (gateway clock)' }) receivedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Supplement notice due: 5 working days after receipt (行政许可法 Art. 32)' })
  supplementNoticeDueAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) acceptedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "承诺时限 in the approving district's working days, extended by pauses" }) promisedDueAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: '法定时限, extended by pauses' }) statutoryDueAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) suspendedAt!: string | null;
  @ApiProperty() pausedWorkingDays!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Why a due date is missing (e.g. no calendar yet for that year)' }) note!: string | null;
}

export class CaseViewDto {
  @ApiProperty() caseNumber!: string;
  @ApiProperty() collaborationId!: string;
  @ApiProperty() collectingDistrict!: string;
  @ApiProperty() approvingDistrict!: string;
  @ApiProperty() item!: { code: string; name: string };
  @ApiProperty({ description: 'Canonical case state (DOMAIN §4)' }) state!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: "The same state in the calling district's own status code, when its alliance entry has a caseState code table; null otherwise",
  })
  partnerStateCode!: string | null;
  @ApiProperty() contractVersion!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ description: '办件类型: 1 即办件, 2 承诺件, 9 其他' }) caseType!: string;
  @ApiProperty({ nullable: true, type: String, description: 'While SUSPENDED: why' }) suspensionKind!: string | null;
  @ApiProperty({ type: CaseDeadlinesDto }) deadlines!: CaseDeadlinesDto;
  @ApiProperty({ type: [String], description: 'Message types the calling district may send next' }) allowedActions!: string[];
  @ApiProperty({ type: [TimelineEntryDto], description: 'Every message of the case, oldest first' }) timeline!: TimelineEntryDto[];
}
