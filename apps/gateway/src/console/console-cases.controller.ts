import { Controller, Get, Ip, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ConsoleQueriesUseCase, type StaffPrincipal } from '@tongban/cases';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
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

/** The console's reads: what the district can collect, its case lists, one case. */
@ApiTags('console')
@Controller('console/api')
@UseGuards(StaffSessionGuard)
export class ConsoleCasesController {
  constructor(private readonly queries: ConsoleQueriesUseCase) {}

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

  @Get('cases/:caseNumber')
  @ApiOperation({ summary: 'One case: state, timeline, deadlines and the actions open to the district (the view is audited)' })
  view(@CurrentStaff() staff: StaffPrincipal, @Param('caseNumber') caseNumber: string, @Ip() ip: string) {
    return this.queries.viewCase(staff, caseNumber, ip);
  }
}
