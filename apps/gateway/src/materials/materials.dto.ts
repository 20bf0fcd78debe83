import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class MaterialReferenceDto {
  @ApiProperty({ example: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', description: 'SHA-256 of the bytes received' })
  digest!: string;
  @ApiProperty({ example: 183204, description: 'Bytes received' }) size!: number;
  @ApiProperty({ example: 'application/pdf' }) mediaType!: string;
  @ApiProperty({ example: '申请书扫描件.pdf' }) name!: string;
}

export class MaterialDownloadQueryDto {
  @ApiPropertyOptional({ name: 'case', description: 'The case through which you may read the material (a case of yours whose messages reference it). Not needed by an uploader.' })
  @IsOptional()
  @Matches(/^\S{1,128}$/, { message: 'case must be a case number' })
  case?: string;
}
