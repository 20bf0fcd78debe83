import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The partner API's OpenAPI document (committed as docs/openapi.json; a test keeps it current). */
export function buildOpenApi(partnerApp: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tongban partner API (通办 跨域通办交换网关)')
    .setDescription(
      'Mutual-TLS API for partner district systems: hand signed case messages to another district, pull and acknowledge ' +
        'your inbox, ask where a message or case stands. Every request needs a client certificate issued by the alliance CA; ' +
        'the district is taken from the certificate. Errors are RFC 9457 problem+json with a stable `code`.',
    )
    .setVersion('1')
    .build();
  return SwaggerModule.createDocument(partnerApp, config);
}
