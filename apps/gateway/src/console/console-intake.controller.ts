import { Body, Controller, HttpCode, Ip, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CollectCaseUseCase, UploadMaterialUseCase, type StaffPrincipal } from '@tongban/cases';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FILE_NAME_HEADER } from '../materials/material-headers';
import { MEDIA_TYPE_HEADER, StreamedBody } from '../materials/streamed-body';
import { uploadStreamedMaterial } from '../materials/streamed-upload';
import { CurrentStaff, StaffSessionGuard } from './staff-session.guard';

class LegalRepresentativeDto {
  @ApiProperty() @IsString() @MaxLength(200) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10) idType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) idNumber?: string;
}

class IntakeApplicantDto {
  @ApiProperty({ enum: ['NATURAL_PERSON', 'LEGAL_PERSON'] }) @IsIn(['NATURAL_PERSON', 'LEGAL_PERSON']) kind!: 'NATURAL_PERSON' | 'LEGAL_PERSON';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) familyName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) givenName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) organizationName?: string;
  @ApiPropertyOptional({ type: LegalRepresentativeDto }) @IsOptional() @ValidateNested() @Type(() => LegalRepresentativeDto) legalRepresentative?: LegalRepresentativeDto;
  @ApiProperty({ example: '111', description: '111 resident ID card (GB 11643 check digit verified), 001 USCC (GB 32100 verified), other codes as typed' })
  @IsString() @Matches(/^[0-9A-Za-z]{1,10}$/) idType!: string;
  @ApiProperty() @IsString() @Matches(/^[0-9A-Za-z()（）-]{1,64}$/, { message: 'idNumber has letters, digits and brackets only' }) idNumber!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(16) mobile?: string;
}

class FileReferenceDto {
  @ApiProperty() @IsString() @Matches(/^sha256:[0-9a-f]{64}$/) digest!: string;
  @ApiProperty() @IsInt() @Min(0) size!: number;
  @ApiProperty() @IsString() @MaxLength(255) mediaType!: string;
  @ApiProperty() @IsString() @MaxLength(200) name!: string;
}

class IntakeMaterialDto {
  @ApiProperty() @IsString() @MaxLength(128) code!: string;
  @ApiProperty({ enum: ['ORIGINAL', 'COPY', 'ELECTRONIC', 'E_CERTIFICATE'] }) @IsIn(['ORIGINAL', 'COPY', 'ELECTRONIC', 'E_CERTIFICATE']) form!: 'ORIGINAL' | 'COPY' | 'ELECTRONIC' | 'E_CERTIFICATE';
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(1000) count!: number;
  @ApiPropertyOptional({ type: FileReferenceDto, description: 'The scan, as POST /console/api/materials answered' })
  @IsOptional() @ValidateNested() @Type(() => FileReferenceDto) file?: FileReferenceDto;
}

class MailingDto {
  @ApiProperty() @IsString() @MaxLength(500) address!: string;
  @ApiProperty() @IsString() @MaxLength(6) postcode!: string;
}

class OriginalsMailedDto {
  @ApiProperty() @IsString() @Matches(/^[0-9A-Za-z-]{6,40}$/, { message: 'waybillNumber has 6–40 letters, digits or dashes' }) waybillNumber!: string;
  @ApiProperty({ example: 'EMS' }) @IsString() @MaxLength(200) carrier!: string;
}

export class CollectCaseDto {
  @ApiProperty({ description: 'The approving district, among the partners GET /console/api/catalogue lists' }) @IsString() @MaxLength(64) partner!: string;
  @ApiProperty({ description: "The item's implementation code" }) @IsString() @MaxLength(128) itemCode!: string;
  @ApiPropertyOptional({ enum: ['1', '2', '9'], default: '2' }) @IsOptional() @IsIn(['1', '2', '9']) caseType?: '1' | '2' | '9';
  @ApiProperty({ type: IntakeApplicantDto }) @IsObject() @ValidateNested() @Type(() => IntakeApplicantDto) applicant!: IntakeApplicantDto;
  @ApiPropertyOptional({ type: MailingDto, description: 'The result goes by courier' }) @IsOptional() @ValidateNested() @Type(() => MailingDto) mailing?: MailingDto;
  @ApiProperty({ type: [IntakeMaterialDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => IntakeMaterialDto) materials!: IntakeMaterialDto[];
  @ApiPropertyOptional({ type: OriginalsMailedDto }) @IsOptional() @ValidateNested() @Type(() => OriginalsMailedDto) originalsMailed?: OriginalsMailedDto;
}

/** 收件 at the window: scans uploaded with progress, then the application sent as the district's submission. */
@ApiTags('console')
@Controller('console/api')
@UseGuards(StaffSessionGuard)
export class ConsoleIntakeController {
  constructor(
    private readonly collect_: CollectCaseUseCase,
    private readonly uploadMaterial: UploadMaterialUseCase,
  ) {}

  @Post('materials')
  @HttpCode(201)
  @StreamedBody()
  @ApiOperation({ summary: "Upload a scanned material as the staff member's district (streamed, stored by SHA-256 like the partner API's uploads); needs the CSRF header" })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: FILE_NAME_HEADER, required: true, description: 'The file name, percent-encoded UTF-8' })
  @ApiHeader({ name: MEDIA_TYPE_HEADER, required: false, description: "The file's media type; default: the Content-Type" })
  @ApiResponse({ status: 201, description: '{ digest, size, mediaType, name }: put it in the material as its file' })
  async upload(@Req() request: FastifyRequest, @CurrentStaff() staff: StaffPrincipal, @Res({ passthrough: true }) reply: FastifyReply) {
    return uploadStreamedMaterial(this.uploadMaterial, staff.district, request, reply);
  }

  @Post('cases')
  @HttpCode(201)
  @ApiOperation({
    summary: '收件: collect a case for a partner and send it as the district (signed, accepted like the partner API); needs the CSRF header',
    description:
      'Checks the resident ID (GB 11643) or USCC (GB 32100) check digit, the partner\'s material checklist (mandatory unless 容缺) and the waybill of mailed originals; ' +
      'refusals are 422 INTAKE_INVALID with `problems` naming each field. Answers the case number, the query password (shown once: only its digest is sent) ' +
      'and what the intake receipt (收件凭证) prints.',
  })
  collect(@CurrentStaff() staff: StaffPrincipal, @Body() body: CollectCaseDto, @Ip() ip: string) {
    return this.collect_.execute(staff, { ...body, ip });
  }
}
