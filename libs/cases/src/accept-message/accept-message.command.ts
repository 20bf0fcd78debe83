/** A partner's raw envelope as it arrived on the mutual-TLS API. */
export interface AcceptMessageCommand {
  /** The compact JWS exactly as received. */
  envelope: string;
  /** District named by the caller's client certificate (never by the message itself). */
  callerDistrict: string;
  sizeBytes: number;
}

export interface AcceptMessageResult {
  messageId: string;
  messageType: string;
  receipt: string;
  /** True when this message id was accepted before and the original receipt is returned. */
  duplicate: boolean;
}
