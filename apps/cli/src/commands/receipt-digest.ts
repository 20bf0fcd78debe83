import { decodeEnvelope } from '@tongban/envelope';

/** What a recipient needs from a delivered envelope to sign for it. */
export function digestOf(envelope: string): { digest: string; collaborationId: string } {
  const decoded = decodeEnvelope(envelope);
  return { digest: decoded.digest, collaborationId: decoded.body.collaborationId };
}
