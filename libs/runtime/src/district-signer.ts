import { DistrictSigner } from '@tongban/cases';
import { signEnvelope, type EnvelopeBody, type SigningKey } from '@tongban/envelope';
import { pkiLayout } from '@tongban/pki';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Signing keys of districts whose staff work in the console, where the PKI layout keeps them
 * (districts/<id>/signing.private.jwk.json). A district that signs in its own system has no file here,
 * and the console refuses to act for it.
 */
export class PkiDirectoryDistrictSigner extends DistrictSigner {
  private readonly keys = new Map<string, SigningKey | null>();

  constructor(private readonly pkiDir: string) {
    super();
  }

  canSign(district: string): boolean {
    return this.key(district) !== null;
  }

  async sign(district: string, body: EnvelopeBody, contract: { id: string; version: string }): Promise<string> {
    const key = this.key(district);
    if (!key) throw new Error(`no console signing key for ${district}`);
    return signEnvelope(body, key, contract);
  }

  private key(district: string): SigningKey | null {
    if (!this.keys.has(district)) {
      let file: string | undefined;
      try {
        file = pkiLayout(this.pkiDir).district(district).signingPrivateJwk;
      } catch {
        file = undefined; // not a valid subject id
      }
      const jwk = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SigningKey['privateJwk'] & { kid: string; alg: SigningKey['alg'] }) : null;
      this.keys.set(district, jwk ? { kid: jwk.kid, alg: jwk.alg, privateJwk: jwk } : null);
    }
    return this.keys.get(district)!;
  }
}
