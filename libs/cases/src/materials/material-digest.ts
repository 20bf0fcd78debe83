/** How envelopes reference a material: `sha256:` and 64 lowercase hex digits (the contracts' `$defs/digest`). */
export const MATERIAL_DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** The contracts' media type pattern (`file.mediaType`): a material's media type must fit its reference. */
export const MATERIAL_MEDIA_TYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export function isMaterialDigest(value: unknown): value is string {
  return typeof value === 'string' && MATERIAL_DIGEST_PATTERN.test(value);
}

/**
 * `sha256:<hex>` from either that form or bare hex, any case; null for anything else. For digests
 * typed by people or other systems (URL path, x-tongban-sha256); envelopes carry the exact form.
 */
export function normaliseMaterialDigest(value: string): string | null {
  const hex = value.trim().toLowerCase().replace(/^sha256:/, '');
  return /^[0-9a-f]{64}$/.test(hex) ? `sha256:${hex}` : null;
}

/** The 64 hex digits of a `sha256:<hex>` digest (storage keys, file names). */
export function digestHex(digest: string): string {
  if (!isMaterialDigest(digest)) throw new Error(`not a material digest: ${JSON.stringify(digest)}`);
  return digest.slice('sha256:'.length);
}
