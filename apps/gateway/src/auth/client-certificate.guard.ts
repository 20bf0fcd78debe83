import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Inject, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PkiError, ClientCertificateVerifier, type PeerIdentity } from '@tongban/pki';
import { RUNTIME, Runtime } from '@tongban/runtime';
import type { TLSSocket } from 'node:tls';
import { CALLER_KIND, Caller, CallerKind } from './caller';

/**
 * Every partner-API route passes here. The TLS handshake already refused certificates from outside
 * the alliance CA; this maps the certificate to a district, operator or auditor (SAN URI), re-checks it against
 * the CRL, and enforces the route's declared caller kind. A route that declares none is refused.
 */
@Injectable()
export class ClientCertificateGuard implements CanActivate {
  private readonly certificates: ClientCertificateVerifier;

  constructor(
    private readonly reflector: Reflector,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {
    this.certificates = runtime.certificates;
  }

  canActivate(context: ExecutionContext): boolean {
    const kind = this.reflector.getAllAndOverride<CallerKind | undefined>(CALLER_KIND, [context.getHandler(), context.getClass()]);
    if (!kind) throw new ForbiddenException({ code: 'ROUTE_NOT_DECLARED', message: 'This route declares no caller and is closed.' });
    const request = context.switchToHttp().getRequest<{ raw: { socket: TLSSocket }; caller?: Caller }>();
    const raw = peerCertificateDer(request.raw.socket);
    if (!raw) {
      throw new UnauthorizedException({ code: 'CLIENT_CERT_REQUIRED', message: 'A client certificate issued by the alliance CA is required.' });
    }
    let identity;
    try {
      identity = this.certificates.identify(raw);
    } catch (error) {
      const code = error instanceof PkiError ? error.code : 'CERT_NOT_TRUSTED';
      throw new UnauthorizedException({ code, message: (error as Error).message });
    }
    const caller = this.callerOf(identity);
    if (caller.kind !== kind) {
      throw new ForbiddenException({ code: 'WRONG_CALLER_KIND', message: `This route is for ${kind} certificates; yours is a ${caller.kind} certificate.` });
    }
    request.caller = caller;
    return true;
  }

  private callerOf(identity: PeerIdentity): Caller {
    if (identity.kind === 'district') return { kind: 'district', id: identity.districtId };
    if (identity.kind === 'operator') return { kind: 'operator', id: identity.operator };
    // A certificate alone does not make an auditor: the gateway's config must name it (and its scope).
    const auditor = this.runtime.config.auditors[identity.auditor];
    if (!auditor) {
      throw new ForbiddenException({ code: 'AUDITOR_NOT_CONFIGURED', message: `Auditor ${identity.auditor} is not listed in the gateway's auditors configuration.` });
    }
    return { kind: 'auditor', id: identity.auditor, ...(auditor.districts ? { scope: auditor.districts } : {}) };
  }
}

/**
 * The DER of the connection's client certificate. getPeerCertificate() decodes the whole certificate
 * into a fresh object on every call (a few per cent of the gateway's CPU under load); a TLS connection's
 * peer certificate never changes, so it is read once per connection. The verdict is still taken per
 * request by identify() (revocation, validity window).
 */
const peerDerBySocket = new WeakMap<TLSSocket, Buffer>();
function peerCertificateDer(socket: TLSSocket): Buffer | undefined {
  const known = peerDerBySocket.get(socket);
  if (known) return known;
  const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate(false) : undefined;
  if (!peer || !peer.raw) return undefined;
  peerDerBySocket.set(socket, peer.raw);
  return peer.raw;
}
