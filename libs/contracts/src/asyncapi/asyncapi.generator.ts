import { compareSemver } from '../semver.compare';
import { DRAFT_07_SCHEMA_FORMAT, toDraft07 } from './draft07.converter';

/** One version of one contract, as read from contracts/<id>/<version>/. */
export interface AsyncApiContract {
  /** Contract id (folder name), e.g. `case-submission`. */
  id: string;
  /** Message type the contract is the payload of, e.g. `case.submission`. */
  messageType: string;
  version: string;
  /** The JSON Schema (draft 2020-12) of the payload, exactly as committed. */
  schema: Record<string, unknown>;
  /** Valid example payloads (examples/valid/*.json); shown as message examples. */
  examples?: Array<{ name: string; payload: unknown }>;
}

/** A district of the alliance. */
export interface AsyncApiDistrict {
  id: string;
  name: string;
  nameEn?: string;
  /** Set when the district takes webhook deliveries; unset means it pulls its inbox. */
  push?: { url: string };
}

export interface AsyncApiOptions {
  /** info.version; default 0.0.0. */
  version?: string;
  /** Name prefix of the exchanges and queues (config `amqpPrefix`); default `tongban`. */
  amqpPrefix?: string;
}

export const ASYNCAPI_VERSION = '3.0.0';
const AMQP_BINDING = '0.3.0';
const HTTP_BINDING = '0.3.0';
const JOSE = 'application/jose';

/** `case-submission` + `1.0.0` → `caseSubmission_1_0_0` (the key of the message in components.messages). */
export function asyncApiMessageName(contractId: string, version: string): string {
  const camel = contractId.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return `${camel}_${version.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** Where a message's payload schema sits in the document (its internal $refs point below it). */
export function asyncApiPayloadPointer(messageName: string): string {
  return `#/components/messages/${messageName}/payload/schema`;
}

/**
 * The AsyncAPI 3.0 document of the hand-off, from the gateway's point of view: it receives
 * envelopes from senders (partner API), publishes them to the per-district queue, consumes the
 * queue and pushes to districts that take webhooks. Pure: same input, same document.
 */
export function generateAsyncApi(
  contracts: readonly AsyncApiContract[],
  districts: readonly AsyncApiDistrict[],
  options: AsyncApiOptions = {},
): Record<string, unknown> {
  if (contracts.length === 0) throw new Error('generateAsyncApi: no contracts');
  if (districts.length === 0) throw new Error('generateAsyncApi: no districts');
  const prefix = options.amqpPrefix ?? 'tongban';
  const sorted = [...contracts].sort((a, b) => (a.id === b.id ? compareSemver(a.version, b.version) : a.id < b.id ? -1 : 1));

  const messages: Record<string, unknown> = {};
  for (const contract of sorted) {
    const name = asyncApiMessageName(contract.id, contract.version);
    if (name in messages) throw new Error(`generateAsyncApi: ${contract.id}@${contract.version} is listed twice`);
    messages[name] = message(contract, name);
  }
  const names = Object.keys(messages);
  const channelMessages = Object.fromEntries(names.map((n) => [n, { $ref: `#/components/messages/${n}` }]));
  const operationMessages = (channel: string) => names.map((n) => ({ $ref: `#/channels/${channel}/messages/${n}` }));
  const pushDistricts = districts.filter((d) => d.push !== undefined);
  const pushHosts = [...new Set(pushDistricts.map((d) => new URL((d.push as { url: string }).url).host))];

  return {
    asyncapi: ASYNCAPI_VERSION,
    info: {
      title: 'Tongban 通办 — case hand-off',
      version: options.version ?? '0.0.0',
      description: infoDescription(prefix),
      license: { name: 'UNLICENSED' },
      tags: [{ name: 'handoff' }],
    },
    defaultContentType: JOSE,
    servers: {
      gateway: {
        host: '{gatewayHost}',
        protocol: 'https',
        title: 'Tongban gateway, partner API',
        description: 'Where districts POST envelopes (`POST /v1/messages`) and pull their inbox (`GET /v1/inbox`, see docs/openapi.json). Mutual TLS: the client certificate names the calling district.',
        variables: { gatewayHost: { default: '127.0.0.1:8443', description: 'host:port of the partner API (config `partnerApi`)' } },
        security: [{ $ref: '#/components/securitySchemes/districtCertificate' }],
        tags: [{ name: 'env:production' }],
      },
      rabbitmq: {
        host: '{amqpHost}',
        protocol: 'amqp',
        protocolVersion: '0.9.1',
        title: 'RabbitMQ broker (gateway-internal)',
        description: `The gateway's own broker (\`AMQP_URL\`; names prefixed \`${prefix}\`, config \`amqpPrefix\`). Districts never connect to it. The embedded mode (\`npm start\` without AMQP_URL) replaces it with an in-process bus of the same semantics.`,
        variables: { amqpHost: { default: 'localhost:5672', description: 'host:port of the broker' } },
        security: [{ $ref: '#/components/securitySchemes/brokerCredentials' }],
        tags: [{ name: 'env:production' }],
      },
      districtPush: {
        host: '{pushHost}',
        protocol: 'https',
        title: "A push district's webhook endpoint",
        description: 'The district\'s own HTTPS server at its `push.url` (alliance). The gateway connects as a client with mutual TLS: it presents its gateway certificate; the district\'s server certificate must chain to the alliance CA.',
        variables: {
          pushHost: {
            description: 'host[:port] of the district\'s `push.url`',
            ...(pushHosts.length > 0 ? { enum: pushHosts, default: pushHosts[0] } : { examples: ['push.district.example:443'] }),
          },
        },
        security: [{ $ref: '#/components/securitySchemes/gatewayCertificate' }],
      },
    },
    channels: {
      partnerMessages: {
        address: '/v1/messages',
        title: 'Partner API: send a message',
        description:
          'A sender district POSTs the envelope (`Content-Type: application/jose`). The gateway verifies it (signature, contract version, schema, case rule), commits it with an outbox row and answers 202 with its signed receipt; refusals are RFC 9457 problems (see the README error codes and docs/openapi.json).',
        servers: [{ $ref: '#/servers/gateway' }],
        messages: channelMessages,
      },
      districtQueue: {
        address: 'district.{districtId}',
        title: 'Per-district hand-off queue',
        description: districtQueueDescription(prefix),
        servers: [{ $ref: '#/servers/rabbitmq' }],
        parameters: {
          districtId: {
            description: `Recipient district id (alliance). ${districts.map((d) => `\`${d.id}\` ${d.name}${d.nameEn ? ` (${d.nameEn})` : ''}`).join('; ')}.`,
            enum: districts.map((d) => d.id),
          },
        },
        messages: channelMessages,
        bindings: {
          amqp: {
            is: 'routingKey',
            exchange: { name: `${prefix}.handoff`, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
            bindingVersion: AMQP_BINDING,
          },
        },
      },
      districtWebhook: {
        address: null,
        title: 'Push webhook of a district',
        description: webhookDescription(districts),
        servers: [{ $ref: '#/servers/districtPush' }],
        messages: channelMessages,
        'x-tongban-push-urls': Object.fromEntries(pushDistricts.map((d) => [d.id, (d.push as { url: string }).url])),
      },
    },
    operations: {
      acceptMessage: {
        action: 'receive',
        channel: { $ref: '#/channels/partnerMessages' },
        title: 'Accept a message from a sender district',
        summary: 'POST /v1/messages; 202 with the signed receipt.',
        messages: operationMessages('partnerMessages'),
        bindings: { http: { method: 'POST', bindingVersion: HTTP_BINDING } },
      },
      publishHandoff: {
        action: 'send',
        channel: { $ref: '#/channels/districtQueue' },
        title: 'Publish to the recipient district queue',
        summary: 'The outbox relay publishes every committed message, persistent and confirmed, with routing key district.<recipient>.',
        messages: operationMessages('districtQueue'),
        bindings: { amqp: { deliveryMode: 2, mandatory: true, timestamp: true, bindingVersion: AMQP_BINDING } },
      },
      consumeHandoff: {
        action: 'receive',
        channel: { $ref: '#/channels/districtQueue' },
        title: 'Deliver from the district queue',
        summary: 'The worker consumes each district queue (manual ack after commit), re-verifies the envelope, then writes the district inbox (pull) or pushes (push).',
        messages: operationMessages('districtQueue'),
        bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING } },
      },
      pushToDistrict: {
        action: 'send',
        channel: { $ref: '#/channels/districtWebhook' },
        title: 'Push to a district webhook',
        summary: "POST the envelope to the district's push.url over mutual TLS; a 2xx acknowledges it.",
        description:
          'The district is the receiver here: its own AsyncAPI document would list this channel under a `receive` operation. 5xx and network errors are retried with backoff (`delivery.backoffSeconds`); a 4xx or exhausted attempts dead-letter the message (operators can replay it).',
        messages: operationMessages('districtWebhook'),
        bindings: { http: { method: 'POST', bindingVersion: HTTP_BINDING } },
      },
    },
    components: {
      messages,
      schemas: { EnvelopeProtectedHeader: envelopeHeaderSchema(), EnvelopeBody: envelopeBodySchema() },
      securitySchemes: {
        districtCertificate: {
          type: 'X509',
          description: 'Mutual TLS: the district presents its client certificate (issued by the alliance CA); the certificate names the district, and the envelope\'s `sender` must be that district.',
        },
        gatewayCertificate: {
          type: 'X509',
          description: 'Mutual TLS towards a push endpoint: the gateway presents its own certificate (alliance CA); the district verifies it and the gateway verifies the district\'s server certificate.',
        },
        brokerCredentials: { type: 'userPassword', description: 'RabbitMQ user and password, from `AMQP_URL` (never from the config file).' },
      },
    },
  };
}

function message(contract: AsyncApiContract, name: string): Record<string, unknown> {
  const ctr = `${contract.id}@${contract.version}`;
  const title = typeof contract.schema.title === 'string' ? contract.schema.title : contract.id;
  const examples = (contract.examples ?? []).map((e) => ({ name: e.name, summary: `examples/valid/${e.name}.json (decoded \`payload\` of the envelope body)`, payload: e.payload }));
  return {
    name,
    title: `${title} ${contract.version}`,
    summary: `\`${contract.messageType}\` carrying contract \`${ctr}\`.`,
    description: messageDescription(contract, ctr),
    contentType: JOSE,
    correlationId: {
      description:
        '`collaborationId` (业务协同编号) of the envelope body, shared by both sides for the whole collaboration. It is inside the JWS (the decoded body), not in the contract payload described by `payload`.',
      location: '$message.payload#/collaborationId',
    },
    headers: headersSchema(contract.messageType),
    payload: { schemaFormat: DRAFT_07_SCHEMA_FORMAT, schema: toDraft07(contract.schema, asyncApiPayloadPointer(name)) },
    bindings: {
      amqp: { messageType: contract.messageType, bindingVersion: AMQP_BINDING },
      http: { headers: httpHeadersSchema(contract.messageType), bindingVersion: HTTP_BINDING },
    },
    ...(examples.length > 0 ? { examples } : {}),
    'x-tongban-envelope': {
      ctr,
      messageType: contract.messageType,
      protectedHeader: { $ref: '#/components/schemas/EnvelopeProtectedHeader' },
      body: { $ref: '#/components/schemas/EnvelopeBody' },
    },
  };
}

function messageDescription(contract: AsyncApiContract, ctr: string): string {
  return [
    `**On the wire this message is not JSON.** It is a JWS in compact serialization (\`Content-Type: application/jose\`, the three base64url parts \`header.body.signature\`), signed by the sender district. The \`payload\` schema below describes the contract \`${ctr}\`, i.e. the \`payload\` member of the decoded JWS body — not the bytes on the wire.`,
    '',
    `- protected header (\`#/components/schemas/EnvelopeProtectedHeader\`): \`alg\` (\`ES256\` | \`EdDSA\`), \`kid\` (a signing key registered for the sender), \`typ\` = \`tongban-envelope+jws\`, \`ctr\` = \`${ctr}\`.`,
    `- JWS payload = the RFC 8785 canonical JSON of the body (\`#/components/schemas/EnvelopeBody\`): \`messageId\` (UUID, the idempotency key), \`caseNumber\`, \`collaborationId\`, \`sender\`, \`recipient\` (district ids), \`messageType\` = \`${contract.messageType}\`, \`sentAt\` (RFC 3339 with offset), \`payload\` (this contract).`,
    '',
    'The signature is verified with the sender\'s key for `kid`; the gateway refuses a body that is not in canonical form. The payload schema is the committed draft 2020-12 schema converted to draft-07 for AsyncAPI tooling (`$defs` → `definitions`, `dependentRequired` → `dependencies`, `$ref` with siblings → `allOf`); the contract in contracts/ stays authoritative.',
  ].join('\n');
}

function headersSchema(messageType: string): Record<string, unknown> {
  return {
    type: 'object',
    description:
      'Transport metadata outside the signature (the JWS is authoritative). AMQP: application headers next to the basic properties `messageId`, `type` (message type), `contentType` and `timestamp`. Push webhook: HTTP headers (see `bindings.http.headers`). Each property says where it appears.',
    properties: {
      'x-tongban-recipient': { type: 'string', description: 'AMQP: recipient district id (the routing key is `district.<id>`).' },
      'x-tongban-attempt': { type: 'integer', minimum: 1, description: 'AMQP: delivery attempt, set on the copies republished for a retry (absent means 1).' },
      'x-tongban-message-id': { type: 'string', format: 'uuid', description: 'Push webhook: `messageId` of the envelope body.' },
      'x-tongban-message-type': { type: 'string', const: messageType, description: 'Push webhook: `messageType` of the envelope body.' },
      'x-tongban-receipt': {
        type: 'string',
        description: 'Push webhook: the gateway\'s signed receipt (compact JWS, `typ: tongban-receipt+jws`) over the SHA-256 of the exact envelope, as the sender received it.',
      },
    },
  };
}

function httpHeadersSchema(messageType: string): Record<string, unknown> {
  return {
    type: 'object',
    description: 'HTTP headers of the push webhook request. A sender POSTing to /v1/messages sends only `Content-Type`.',
    required: ['content-type', 'x-tongban-message-id', 'x-tongban-message-type', 'x-tongban-receipt'],
    properties: {
      'content-type': { type: 'string', const: JOSE },
      'x-tongban-message-id': { type: 'string', format: 'uuid' },
      'x-tongban-message-type': { type: 'string', const: messageType },
      'x-tongban-receipt': { type: 'string', pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' },
    },
  };
}

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const RFC3339 = '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$';
const TEXT = { type: 'string', minLength: 1, pattern: '\\S' };

function envelopeHeaderSchema(): Record<string, unknown> {
  return {
    type: 'object',
    description: 'Protected header of the envelope JWS. Exactly these four parameters.',
    additionalProperties: false,
    required: ['alg', 'kid', 'typ', 'ctr'],
    properties: {
      alg: { type: 'string', enum: ['ES256', 'EdDSA'], description: 'Signature algorithm.' },
      kid: { ...TEXT, description: "Id of the sender's signing key (several per district, for rotation)." },
      typ: { type: 'string', const: 'tongban-envelope+jws' },
      ctr: { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*@[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$', description: 'Contract of the payload, `<contract-id>@<semver>`.' },
    },
  };
}

function envelopeBodySchema(): Record<string, unknown> {
  return {
    type: 'object',
    description: 'The JWS payload: RFC 8785 canonical JSON of this object. Closed.',
    additionalProperties: false,
    required: ['messageId', 'caseNumber', 'collaborationId', 'sender', 'recipient', 'messageType', 'sentAt', 'payload'],
    properties: {
      messageId: { type: 'string', pattern: UUID, description: 'Chosen by the sender; the idempotency key of the exchange.' },
      caseNumber: { ...TEXT, description: '办件编号 / Case number.' },
      collaborationId: { ...TEXT, description: '业务协同编号, shared by both sides for the whole collaboration (the correlation id).' },
      sender: { ...TEXT, description: 'District id of the signer; must be the district of the client certificate.' },
      recipient: { ...TEXT, description: 'District id of the recipient.' },
      messageType: { type: 'string', description: 'Message type, e.g. `case.submission`; `ctr` must name its contract.' },
      sentAt: { type: 'string', pattern: RFC3339, description: 'RFC 3339 with an explicit offset; must be within the accepted clock window.' },
      payload: { type: 'object', description: 'The contract payload: the `payload` schema of the message whose `ctr` the header names.' },
    },
  };
}

function infoDescription(prefix: string): string {
  return [
    'Generated by `tongban asyncapi` from contracts/ (one message per contract version) and the alliance (district ids, push endpoints). Do not edit by hand.',
    '',
    'This document describes the gateway: it **receives** envelopes from sender districts (`acceptMessage`), **sends** them to the recipient district\'s queue (`publishHandoff`), **receives** them from that queue in its worker (`consumeHandoff`) and **sends** them to districts that take webhooks (`pushToDistrict`). Districts are the receivers of `pushToDistrict`; districts without a push endpoint pull the same envelopes from their inbox over the partner API (`GET /v1/inbox`, `POST /v1/inbox/ack`; docs/openapi.json).',
    '',
    `Every message is a signed JWS envelope (application/jose); each message\'s \`payload\` schema describes the contract payload inside it. Broker names use the prefix \`${prefix}\`.`,
  ].join('\n');
}

function districtQueueDescription(prefix: string): string {
  return [
    `Routing key \`district.{districtId}\` on the topic exchange \`${prefix}.handoff\`, bound to the durable quorum queue \`${prefix}.district.{districtId}\` (one per district).`,
    `The queue has an explicit \`x-delivery-limit\`, \`x-dead-letter-exchange: ${prefix}.dead-letter\`, \`x-dead-letter-strategy: at-least-once\` and \`x-overflow: reject-publish\`.`,
    `Transient failures are republished through \`${prefix}.retry.<s>s\` (fanout exchange + TTL quorum queue per backoff step) and return home with their routing key when the TTL expires; permanent failures and exhausted attempts go to \`${prefix}.dead-letter\`.`,
  ].join(' ');
}

function webhookDescription(districts: readonly AsyncApiDistrict[]): string {
  const push = districts.filter((d) => d.push !== undefined);
  const list =
    push.length === 0
      ? 'No district of this alliance has a push endpoint: all pull their inbox.'
      : `Push districts: ${push.map((d) => `\`${d.id}\` ${d.name} → ${(d.push as { url: string }).url}`).join('; ')}. Every other district pulls its inbox.`;
  return [
    "The address is the path of the district's `push.url` in the alliance (it differs per district, hence no fixed address here; `x-tongban-push-urls` maps district id → URL).",
    'The gateway POSTs the envelope exactly as the sender signed it, over mutual TLS, with `x-tongban-message-id`, `x-tongban-message-type` and the receipt in `x-tongban-receipt`. A 2xx acknowledges the message.',
    list,
  ].join(' ');
}
