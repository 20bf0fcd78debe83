import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditQuery, AuditUseCase, Auditor } from '@tongban/cases';
import { CallableBy, Caller, CurrentCaller } from '../auth/caller';
import { AuditQueryDto } from './ledger.dto';

/** Auditors (电子监察, 审计): read-only, within their configured scope; every query is a ledger entry. */
@ApiTags('audit')
@Controller('v1/audit')
@CallableBy('auditor')
export class AuditController {
  constructor(private readonly audit: AuditUseCase) {}

  @Get('entries')
  @ApiOperation({ summary: 'Search ledger entries by case, district, message type and time range (paged)' })
  search(@Query() query: AuditQueryDto, @CurrentCaller() caller: Caller) {
    return this.audit.search(auditorOf(caller), toQuery(query));
  }

  @Get('cases/:caseNumber')
  @ApiOperation({ summary: "A case's complete record: every envelope, receipt, ledger entry and inclusion proof" })
  caseRecord(@Param('caseNumber') caseNumber: string, @CurrentCaller() caller: Caller) {
    return this.audit.caseRecord(auditorOf(caller), caseNumber);
  }

  @Get('bundle')
  @Header('content-disposition', 'attachment; filename="tongban-evidence.json"')
  @ApiOperation({ summary: 'An evidence bundle for a case, a district or a time range; verify it offline with `tongban ledger verify`' })
  bundle(@Query() query: AuditQueryDto, @CurrentCaller() caller: Caller) {
    return this.audit.bundle(auditorOf(caller), toQuery(query));
  }
}

function auditorOf(caller: Caller): Auditor {
  return { name: caller.id, ...(caller.scope ? { scope: caller.scope } : {}) };
}

function toQuery(q: AuditQueryDto): AuditQuery {
  return {
    ...(q.caseNumber ? { caseNumber: q.caseNumber } : {}),
    ...(q.district ? { district: q.district } : {}),
    ...(q.messageType ? { messageType: q.messageType } : {}),
    ...(q.from ? { from: new Date(q.from) } : {}),
    ...(q.to ? { to: new Date(q.to) } : {}),
    ...(q.after ? { afterRowId: q.after } : {}),
    ...(q.limit ? { limit: q.limit } : {}),
  };
}
