import { Controller, Get, HttpCode, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DownloadMaterialUseCase, UploadMaterialUseCase, digestHex } from '@tongban/cases';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CallableBy, Caller, CurrentCaller } from '../auth/caller';
import { FILE_NAME_HEADER, SHA256_HEADER, contentDisposition } from './material-headers';
import { MaterialDownloadQueryDto, MaterialReferenceDto } from './materials.dto';
import { MEDIA_TYPE_HEADER, StreamedBody } from './streamed-body';
import { uploadStreamedMaterial } from './streamed-upload';

@ApiTags('partner: materials')
@Controller('v1/materials')
@CallableBy('district')
export class MaterialsController {
  constructor(
    private readonly uploadMaterial: UploadMaterialUseCase,
    private readonly downloadMaterial: DownloadMaterialUseCase,
  ) {}

  @Post()
  @HttpCode(201)
  @StreamedBody()
  @ApiOperation({
    summary: 'Upload a material (a file an envelope will reference by digest)',
    description:
      'The body is the file itself, streamed: the gateway hashes it as it arrives and stores it content-addressed by SHA-256, ' +
      'so the same bytes uploaded again give the same digest and are stored once. Put the answer in the envelope as the file ' +
      'reference `{ digest, size, mediaType, name }`. Send Content-Type application/octet-stream with the file\'s media type in ' +
      '`x-tongban-media-type`, or the file\'s media type as Content-Type. Over `materials.maxBytes` the upload is refused as soon ' +
      'as the limit is passed, and nothing is kept.',
  })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: FILE_NAME_HEADER, required: true, description: "The file name, percent-encoded UTF-8 (encodeURIComponent('申请书.pdf'))" })
  @ApiHeader({ name: MEDIA_TYPE_HEADER, required: false, description: 'The file\'s media type (e.g. application/pdf); default: the Content-Type' })
  @ApiHeader({ name: SHA256_HEADER, required: false, description: 'The SHA-256 you computed (64 hex digits): the upload is refused, and nothing kept, when the bytes received differ' })
  @ApiResponse({ status: 201, type: MaterialReferenceDto, description: 'Stored (or stored before: the answer is the same); Location names the material' })
  @ApiResponse({ status: 400, description: 'MATERIAL_MALFORMED: file name, media type or x-tongban-sha256 missing or ill-formed (problem+json)' })
  @ApiResponse({ status: 413, description: 'PAYLOAD_TOO_LARGE: over materials.maxBytes (maxBytes given); nothing kept' })
  @ApiResponse({ status: 422, description: 'MATERIAL_DIGEST_MISMATCH: the bytes do not hash to x-tongban-sha256; nothing kept' })
  async upload(@Req() request: FastifyRequest, @CurrentCaller() caller: Caller, @Res({ passthrough: true }) reply: FastifyReply): Promise<MaterialReferenceDto> {
    const reference = await uploadStreamedMaterial(this.uploadMaterial, caller.id, request, reply);
    reply.header('location', `/v1/materials/${reference.digest}`);
    return reference;
  }

  @Get(':digest')
  @ApiOperation({
    summary: 'Download a material',
    description:
      'Streams the bytes back. Allowed to a district that uploaded them, and to the two districts of a case whose accepted ' +
      'messages reference them (name the case with `case`). The response carries the media type, the length, the file name ' +
      '(Content-Disposition) and the digest (x-tongban-sha256, Repr-Digest).',
  })
  @ApiParam({ name: 'digest', description: 'sha256:<64 hex> as in the file reference (or the 64 hex digits alone)' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'The file, with its media type as Content-Type' })
  @ApiResponse({ status: 403, description: 'NOT_A_PARTY: neither an uploader nor a party to a case that references it' })
  @ApiResponse({ status: 404, description: 'MATERIAL_NOT_FOUND' })
  async download(
    @Param('digest') digest: string,
    @Query() query: MaterialDownloadQueryDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { material, content } = await this.downloadMaterial.execute(caller.id, digest, query.case ?? null);
    reply.header(SHA256_HEADER, material.digest);
    reply.header('repr-digest', `sha-256=:${Buffer.from(digestHex(material.digest), 'hex').toString('base64')}:`);
    reply.header('etag', `"${material.digest}"`);
    reply.header('cache-control', 'private, max-age=31536000, immutable');
    reply.header('x-content-type-options', 'nosniff');
    return new StreamableFile(content, { type: material.mediaType, length: material.size, disposition: contentDisposition(material.name) });
  }
}
