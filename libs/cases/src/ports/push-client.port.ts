/** Delivers one envelope to a district's own endpoint over mutual TLS. */
export interface PushOutcome {
  ok: boolean;
  /** HTTP status, or undefined when the request never got an answer (network, TLS, timeout). */
  status?: number;
  reason: string;
}
export abstract class PushClient {
  abstract push(
    url: string,
    message: { messageId: string; messageType: string; envelope: string; receipt: string; conversion: string | null },
  ): Promise<PushOutcome>;
}
