import { Body, Controller, Get, HttpCode, Ip, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CaseError, CaseErrorCode, ConsoleQueriesUseCase, RatingUseCase, SATISFACTION_LEVELS, SendFromConsoleUseCase, StaffRole, StepContractUseCase, type StaffPrincipal } from '@tongban/cases';
import { isMessageType, MessageType } from '@tongban/envelope';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CurrentStaff, StaffSessionGuard } from './staff-session.guard';

export class CaseListQueryDto {
  @ApiPropertyOptional({ enum: ['outgoing', 'incoming'], default: 'outgoing' }) @IsOptional() @IsIn(['outgoing', 'incoming']) direction?: 'outgoing' | 'incoming';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) partner?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) state?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) item?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() overdue?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) after?: string;
  @ApiPropertyOptional({ default: 50, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

export class SendStepDto {
  @ApiProperty({ example: 'case.acknowledgement' }) @IsString() @MaxLength(64) messageType!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) @IsObject() payload!: Record<string, unknown>;
}

export class RatingDto {
  @ApiProperty({ enum: ['WINDOW_SERVICE', 'CASE_HANDLING'] }) @IsIn(['WINDOW_SERVICE', 'CASE_HANDLING']) target!: 'WINDOW_SERVICE' | 'CASE_HANDLING';
  @ApiProperty({ enum: SATISFACTION_LEVELS }) @IsIn([...SATISFACTION_LEVELS]) level!: (typeof SATISFACTION_LEVELS)[number];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(32, { each: true }) indicatorCodes?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) comment?: string;
}

/** The console's reads: what the district can collect, its case lists, one case. */
@ApiTags('console')
@Controller('console/api')
@UseGuards(StaffSessionGuard)
export class ConsoleCasesController {
  constructor(
    private readonly queries: ConsoleQueriesUseCase,
    private readonly send_: SendFromConsoleUseCase,
    private readonly rating: RatingUseCase,
    private readonly stepContract: StepContractUseCase,
  ) {}

  @Get('catalogue')
  @ApiOperation({ summary: "Partners the staff member's district collects for, with each item's material checklist and limits" })
  catalogue(@CurrentStaff() staff: StaffPrincipal) {
    return this.queries.catalogue(staff.district);
  }

  @Get('cases')
  @ApiOperation({ summary: 'Outgoing or incoming cases, newest first, with filters and the working days left (paged by cursor)' })
  cases(@CurrentStaff() staff: StaffPrincipal, @Query() q: CaseListQueryDto) {
    return this.queries.listCases(staff, {
      direction: q.direction ?? 'outgoing',
      ...(q.partner ? { partner: q.partner } : {}),
      ...(q.state ? { state: q.state } : {}),
      ...(q.item ? { itemCode: q.item } : {}),
      ...(q.overdue ? { overdue: true } : {}),
      ...(q.after ? { after: q.after } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
    });
  }

  @Post('cases/:caseNumber/messages')
  @HttpCode(202)
  @ApiOperation({ summary: "Send a step on a case as the staff member's district (signed with its key, accepted by the same use case as the partner API); needs the CSRF header" })
  send(@CurrentStaff() staff: StaffPrincipal, @Param('caseNumber') caseNumber: string, @Body() body: SendStepDto, @Ip() ip: string) {
    return this.send_.execute(staff, { caseNumber, messageType: body.messageType, payload: body.payload, ip });
  }

  @Get('cases/:caseNumber/templates/:messageType')
  @ApiOperation({ summary: 'A filled-in payload for a step on this case, for the form to start from' })
  async template(@CurrentStaff() staff: StaffPrincipal, @Param('caseNumber') caseNumber: string, @Param('messageType') messageType: string) {
    if (!isMessageType(messageType) || messageType === MessageType.CASE_SUBMISSION || messageType === MessageType.DEADLINE_EVENT) {
      throw new CaseError(CaseErrorCode.ACTION_NOT_ALLOWED, `No console form for ${messageType}.`);
    }
    return this.send_.template(staff, caseNumber, messageType);
  }

  @Get('contracts/:messageType')
  @ApiOperation({ summary: "The JSON Schema (2020-12) of a step's payload, in the contract version the staff member's district sends: the step forms are drawn from it" })
  @ApiParam({ name: 'messageType', example: 'case.acceptance' })
  @ApiOkResponse({ description: 'The schema as in contracts/<id>/<version>/schema.json; its $id names the contract and version', schema: { type: 'object', additionalProperties: true } })
  contract(@CurrentStaff() staff: StaffPrincipal, @Param('messageType') messageType: string) {
    return this.stepContract.schema(staff, messageType);
  }

  @Post('cases/:caseNumber/rating')
  @HttpCode(202)
  @ApiOperation({ summary: '好差评 at the window: the applicant’s rating (round 1, or 2 once), sent as the case’s evaluation; needs the CSRF header' })
  rate(@CurrentStaff() staff: StaffPrincipal, @Param('caseNumber') caseNumber: string, @Body() body: RatingDto, @Ip() ip: string) {
    return this.rating.rate(staff, caseNumber, { target: body.target, level: body.level, indicatorCodes: body.indicatorCodes ?? [], ...(body.comment ? { comment: body.comment } : {}) }, ip);
  }

  @Get('follow-ups')
  @ApiOperation({ summary: 'Bad ratings (差评) on the district’s cases, for the supervisor’s call-back' })
  followUps(@CurrentStaff() staff: StaffPrincipal) {
    if (!staff.roles.includes(StaffRole.SUPERVISOR)) throw new CaseError(CaseErrorCode.ROLE_REQUIRED, 'The follow-up list is for supervisors.', { requiredRole: StaffRole.SUPERVISOR });
    return this.rating.followUps(staff);
  }

  @Get('cases/:caseNumber')
  @ApiOperation({ summary: 'One case: state, timeline, deadlines and the actions open to the district (the view is audited)' })
  view(@CurrentStaff() staff: StaffPrincipal, @Param('caseNumber') caseNumber: string, @Ip() ip: string) {
    return this.queries.viewCase(staff, caseNumber, ip);
  }
}
