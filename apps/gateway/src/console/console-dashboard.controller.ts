import { BadRequestException, Controller, Get, Ip, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { DashboardUseCase, type StaffPrincipal } from '@tongban/cases';
import { IsOptional, Matches } from 'class-validator';
import { CurrentStaff, StaffSessionGuard } from './staff-session.guard';

const LOCAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** Three years at most: a wall screen compares months and years, not decades. */
const MAX_PERIOD_DAYS = 3 * 366;

export class DashboardQueryDto {
  @ApiPropertyOptional({ description: 'First day (+08:00), included; default: the 1st of this month', example: '2026-11-01' })
  @IsOptional()
  @Matches(LOCAL_DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last day (+08:00), included; default: today', example: '2026-11-30' })
  @IsOptional()
  @Matches(LOCAL_DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

/** The supervisor dashboard's figures (数据大屏). */
@ApiTags('console')
@Controller('console/api')
@UseGuards(StaffSessionGuard)
export class ConsoleDashboardController {
  constructor(private readonly dashboard: DashboardUseCase) {}

  @Get('dashboard')
  @ApiOperation({
    summary:
      'Supervisors only: cases collected for and received from each partner in the period, per partner and item — completion and on-time rates, working days against the limits, satisfaction — and the overdue and at-risk running cases (the view is audited)',
  })
  view(@CurrentStaff() staff: StaffPrincipal, @Query() q: DashboardQueryDto, @Ip() ip: string) {
    const invalid = [q.from, q.to].some((d) => d !== undefined && !isRealDate(d));
    const days = q.from && q.to ? (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 : 0;
    if (invalid || days < 0 || days > MAX_PERIOD_DAYS) {
      throw new BadRequestException({ code: 'BAD_REQUEST', message: `The period must be calendar dates with from ≤ to, at most ${MAX_PERIOD_DAYS} days apart.` });
    }
    return this.dashboard.view(staff, { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) }, ip);
  }
}

/** 2026-02-31 matches the pattern but is no day: Date would roll it over to March. */
function isRealDate(date: string): boolean {
  const at = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === date;
}
