import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GetCaseUseCase } from '@tongban/cases';
import { CallableBy, Caller, CurrentCaller } from '../auth/caller';
import { CaseViewDto } from './partner.dto';

@ApiTags('partner: cases')
@Controller('v1/cases')
@CallableBy('district')
export class CasesController {
  constructor(private readonly getCase: GetCaseUseCase) {}

  @Get(':caseNumber')
  @ApiOperation({ summary: "A case's state and the actions the calling district may take next" })
  @ApiOkResponse({ type: CaseViewDto })
  get(@Param('caseNumber') caseNumber: string, @CurrentCaller() caller: Caller): Promise<CaseViewDto> {
    return this.getCase.execute(caller.id, caseNumber);
  }
}
