import { CaseError, UploadMaterialUseCase, type MaterialReferenceView } from '@tongban/cases';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FILE_NAME_HEADER, SHA256_HEADER, declaredDigestOf, fileNameOf, mediaTypeOf } from './material-headers';
import { MEDIA_TYPE_HEADER } from './streamed-body';

/**
 * A material upload from a @StreamedBody() route, as `uploader` (a district): the headers name the
 * file, the body is hashed and stored as it arrives. Shared by the partner API and the desk console.
 */
export async function uploadStreamedMaterial(uploadMaterial: UploadMaterialUseCase, uploader: string, request: FastifyRequest, reply: FastifyReply): Promise<MaterialReferenceView> {
  try {
    const headers = request.headers;
    const declared = headers['content-length'] === undefined ? null : Number(headers['content-length']);
    return await uploadMaterial.execute({
      uploader,
      name: fileNameOf(headers[FILE_NAME_HEADER]),
      mediaType: mediaTypeOf(headers[MEDIA_TYPE_HEADER]),
      expectedDigest: declaredDigestOf(headers[SHA256_HEADER]),
      declaredBytes: Number.isSafeInteger(declared) ? declared : null,
      // Chunks as they arrive; a refusal stops reading without destroying the socket, so the answer still reaches the client.
      content: request.raw.iterator({ destroyOnReturn: false }),
    });
  } catch (error) {
    // Refused before the whole body was read (too large, bad headers): close the connection after
    // answering rather than read the rest of an unwanted upload.
    if (error instanceof CaseError && !request.raw.complete) reply.header('connection', 'close');
    throw error;
  }
}
