export { ClientCertificateVerifier, type ClientCertificateVerifierOptions, type PeerIdentity } from './client-certificate.verifier';
export { revokeCertificate } from './certificate.revoker';
export { issueDevelopmentPki, type IssueDevelopmentPkiOptions, type PkiSubject } from './development-pki.issuer';
export { inspectPki, type IssuedCertificateSummary, type PkiInventory } from './issued-pki.inspector';
export { PkiError, PkiErrorCode } from './pki.error';
export { pkiLayout, type PkiLayout } from './pki.layout';
export { issueSigningKey, SIGNING_ALGS, type SigningAlg, type SigningPrivateJwk, type SigningPublicJwk } from './signing-key.issuer';
