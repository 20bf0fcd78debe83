import { CaseError, CaseErrorCode, MATERIAL_MEDIA_TYPE_PATTERN, normaliseMaterialDigest } from '@tongban/cases';

/** Upload headers of POST /v1/materials. */
export const FILE_NAME_HEADER = 'x-tongban-file-name';
export const SHA256_HEADER = 'x-tongban-sha256';

type HeaderValue = string | string[] | undefined;

function single(name: string, value: HeaderValue): string | undefined {
  if (Array.isArray(value)) throw malformed(`Send ${name} once.`);
  return value;
}

function malformed(message: string): CaseError {
  return new CaseError(CaseErrorCode.MATERIAL_MALFORMED, message);
}

/** The file name, percent-encoded UTF-8 (encodeURIComponent); a name, not a path; what the contracts accept (1–200 characters). */
export function fileNameOf(value: HeaderValue): string {
  const raw = single(FILE_NAME_HEADER, value);
  if (raw === undefined || raw === '') throw malformed(`Name the file in ${FILE_NAME_HEADER} (percent-encoded UTF-8, e.g. encodeURIComponent('申请书.pdf')).`);
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw malformed(`${FILE_NAME_HEADER} is not valid percent-encoded UTF-8.`);
  }
  if (!/\S/.test(name) || [...name].length > 200) throw malformed(`${FILE_NAME_HEADER} must name the file in 1 to 200 characters.`);
  if (/[\u0000-\u001f\u007f/\\]/.test(name)) throw malformed(`${FILE_NAME_HEADER} must be a file name without control characters or path separators.`);
  return name;
}

/** The material's media type, lower-cased, without parameters; it must fit the contracts' `file.mediaType`. */
export function mediaTypeOf(value: HeaderValue): string {
  const raw = single('x-tongban-media-type', value) ?? 'application/octet-stream';
  const essence = raw.split(';')[0].trim().toLowerCase();
  if (!MATERIAL_MEDIA_TYPE_PATTERN.test(essence)) throw malformed(`The media type ${JSON.stringify(raw)} is not of the form type/subtype.`);
  return essence;
}

/** x-tongban-sha256: 64 hex digits, or sha256:<hex>; null when absent. */
export function declaredDigestOf(value: HeaderValue): string | null {
  const raw = single(SHA256_HEADER, value);
  if (raw === undefined) return null;
  const digest = normaliseMaterialDigest(raw);
  if (!digest) throw malformed(`${SHA256_HEADER} must be the SHA-256 of the file as 64 hex digits (or sha256:<hex>).`);
  return digest;
}

/** Content-Disposition for a download: an ASCII fallback and the exact name (RFC 6266 / RFC 8187). */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
