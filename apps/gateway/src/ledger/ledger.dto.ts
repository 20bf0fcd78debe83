import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export class TreeSizeQueryDto {
  @ApiPropertyOptional({ description: 'Tree size of the checkpoint to prove against; the latest by default' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1)
  treeSize?: number;
}

export class ConsistencyQueryDto {
  @ApiProperty({ description: 'Tree size of the older checkpoint' }) @Type(() => Number) @IsInt() @Min(1) from!: number;
  @ApiProperty({ description: 'Tree size of the newer checkpoint' }) @Type(() => Number) @IsInt() @Min(1) to!: number;
}

export class CosignatureDto {
  @ApiProperty({ description: "Compact JWS (typ tongban-cosignature+jws) by the district's signing key over { checkpoint, cosigner, cosignedAt }" })
  @IsString() @MaxLength(8192) @Matches(COMPACT_JWS, { message: 'cosignature must be a compact JWS' })
  cosignature!: string;
}

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) caseNumber?: string;
  @ApiPropertyOptional({ description: 'Entries that name this district, or belong to one of its cases' }) @IsOptional() @IsString() @MaxLength(64) district?: string;
  @ApiPropertyOptional({ example: 'case.conclusion' }) @IsOptional() @IsString() @MaxLength(64) messageType?: string;
  @ApiPropertyOptional({ description: 'RFC 3339; entries at or after' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'RFC 3339; entries before' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ description: 'Cursor: nextAfter of the previous page' }) @IsOptional() @Matches(/^[0-9]{1,19}$/) after?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}
