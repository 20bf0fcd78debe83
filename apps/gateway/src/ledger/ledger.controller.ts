import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { LedgerProofsUseCase } from '@tongban/cases';
import { CallableBy, Caller, CurrentCaller } from '../auth/caller';
import { ConsistencyQueryDto, CosignatureDto, TreeSizeQueryDto } from './ledger.dto';

/** What a district asks the exchange ledger: signed checkpoints, its own entries' proofs, co-signing. */
@ApiTags('partner: ledger')
@Controller('v1/ledger')
@CallableBy('district')
export class LedgerController {
  constructor(private readonly proofs: LedgerProofsUseCase) {}

  @Get('checkpoints/latest')
  @ApiOperation({ summary: 'The latest signed checkpoint (tree size, root hash, time) and who has co-signed it' })
  @ApiResponse({ status: 404, description: 'CHECKPOINT_NOT_FOUND: the ledger is still empty' })
  latest() {
    return this.proofs.checkpoint();
  }

  @Get('checkpoints/:treeSize')
  @ApiOperation({ summary: 'One signed checkpoint and its co-signatures' })
  checkpoint(@Param('treeSize', ParseIntPipe) treeSize: number) {
    return this.proofs.checkpoint(treeSize);
  }

  @Post('checkpoints/:treeSize/cosignatures')
  @HttpCode(201)
  @ApiOperation({ summary: "Co-sign a checkpoint with the district's signing key: the district has seen this tree head" })
  @ApiResponse({ status: 422, description: 'COSIGNATURE_INVALID: does not verify, names another district, or signs another body' })
  cosign(@Param('treeSize', ParseIntPipe) treeSize: number, @Body() body: CosignatureDto, @CurrentCaller() caller: Caller) {
    return this.proofs.cosign(caller.id, treeSize, body.cosignature);
  }

  @Get('consistency')
  @ApiOperation({ summary: 'RFC 9162 consistency proof: checkpoint `to` extends checkpoint `from`' })
  consistency(@Query() query: ConsistencyQueryDto) {
    return this.proofs.consistency(query.from, query.to);
  }

  @Get('entries/:entryId')
  @ApiOperation({ summary: 'One of your ledger entries with its RFC 9162 inclusion proof to a checkpoint' })
  @ApiResponse({ status: 409, description: 'NOT_YET_CHECKPOINTED: ask again after the next checkpoint (at most a second)' })
  entry(@Param('entryId', new ParseUUIDPipe()) entryId: string, @Query() query: TreeSizeQueryDto, @CurrentCaller() caller: Caller) {
    return this.proofs.inclusion(entryId, { district: caller.id }, query.treeSize);
  }

  @Get('messages/:messageId')
  @ApiOperation({ summary: 'Your evidence for one of your messages: envelope, receipt, its ledger entries and their inclusion proofs' })
  evidence(@Param('messageId', new ParseUUIDPipe()) messageId: string, @CurrentCaller() caller: Caller) {
    return this.proofs.messageEvidence(caller.id, messageId);
  }
}
