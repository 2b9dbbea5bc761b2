import { describe, expect, it } from 'vitest';
import { buildFixture, operation } from '../spec/helpers.ts';

describe('buildIr: feature fixtures', () => {
  it('circular refs: component cycles stay $refs, a non-component cycle gets a synthetic name', async () => {
    const { ir } = await buildFixture('circular-refs.yaml');
    expect(ir.schemas.Node).toEqual({
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string' },
        children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
        parent: { $ref: '#/components/schemas/Parent' },
      },
    });
    const synthetic = 'paths_comments_get_responses_200_content_application_json_schema';
    expect(Object.keys(ir.schemas)).toEqual(['Node', 'Parent', synthetic]);
    expect(ir.schemas[synthetic]).toEqual({
      type: 'object',
      properties: {
        text: { type: 'string' },
        replies: { type: 'array', items: { $ref: `#/components/schemas/${synthetic}` } },
      },
    });
    expect(operation(ir, 'listComments').responses[0]?.contents[0]?.schema).toEqual(ir.schemas[synthetic]);
  });

  it('multi-file refs: parameters, responses and schemas from another file', async () => {
    const { ir } = await buildFixture('multi-file/openapi.yaml');
    const op = operation(ir, 'getPet');
    expect(op.parameters).toEqual([
      expect.objectContaining({
        name: 'petId',
        in: 'path',
        required: true,
        schema: { type: 'integer', minimum: 1 },
      }),
    ]);
    expect(op.responses.map((r) => [r.status, r.description])).toEqual([
      ['200', 'One pet.'],
      ['404', 'No such pet.'],
    ]);
    expect(ir.schemas.Owner).toEqual({ type: 'object', properties: { name: { type: 'string' } } });
    const pet = op.responses[0]?.contents[0]?.schema as { properties: Record<string, unknown> };
    expect(pet.properties.owner).toEqual({ $ref: '#/components/schemas/Owner' });
  });

  it('discriminator/oneOf: refs and the discriminator mapping are kept', async () => {
    const { ir } = await buildFixture('discriminator-oneof.yaml');
    expect(ir.schemas.Pet).toEqual({
      oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }],
      discriminator: {
        propertyName: 'petType',
        mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' },
      },
    });
    expect(operation(ir, 'createPet').requestBody).toEqual({
      required: true,
      contents: [
        { mediaType: 'application/json', examples: [], schema: { $ref: '#/components/schemas/Pet' } },
      ],
    });
  });

  it('allOf: members normalised in place', async () => {
    const { ir } = await buildFixture('allof.yaml');
    expect(ir.schemas.Employee).toEqual({
      allOf: [
        { $ref: '#/components/schemas/Person' },
        {
          type: 'object',
          required: ['employeeId'],
          properties: { employeeId: { type: 'string', pattern: '^E[0-9]{4}$' } },
        },
      ],
    });
  });

  it('nullable (3.0) becomes type arrays / anyOf null; boolean exclusive bounds become numbers', async () => {
    const { ir } = await buildFixture('nullable-30.yaml');
    expect(ir.schemas.Thing).toEqual({
      type: 'object',
      properties: {
        name: { type: ['string', 'null'] },
        size: { type: ['string', 'null'], enum: ['small', 'large', null] },
        owner: {
          anyOf: [{ $ref: '#/components/schemas/Owner' }, { type: 'null' }],
          description: 'The owner, if any.',
        },
        anything: { anyOf: [{ allOf: [{ $ref: '#/components/schemas/Owner' }] }, { type: 'null' }] },
        notNull: { type: 'integer' },
        rating: { type: 'number', exclusiveMinimum: 0, maximum: 5 },
      },
    });
  });

  it('3.1 type arrays and numeric exclusive bounds pass through unchanged', async () => {
    const { ir } = await buildFixture('nullable-31.yaml');
    expect(ir.schemas.Thing).toEqual({
      type: 'object',
      properties: {
        name: { type: ['string', 'null'] },
        owner: { oneOf: [{ $ref: '#/components/schemas/Owner' }, { type: 'null' }] },
        rating: { type: 'number', exclusiveMinimum: 0, maximum: 5 },
      },
    });
  });

  it('3.1 const, examples arrays, prefixItems and boolean schemas are kept; webhooks are reported', async () => {
    const { ir, diagnostics } = await buildFixture('openapi-31-const-examples.yaml');
    expect(ir.schemas.Event).toEqual({
      type: 'object',
      required: ['kind', 'payload'],
      properties: {
        kind: { const: 'created' },
        version: { type: 'integer', const: 2 },
        payload: { type: 'object', examples: [{ id: 1 }, { id: 2 }] },
        tags: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] },
        anything: true,
      },
    });
    expect(ir.operations.map((o) => o.id)).toEqual(['createEvent']);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'info', code: 'WEBHOOKS_IGNORED' })]);
  });

  it('multipart: schema and per-property encoding', async () => {
    const { ir } = await buildFixture('multipart.yaml');
    const [content] = operation(ir, 'uploadDocument').requestBody?.contents ?? [];
    expect(content?.mediaType).toBe('multipart/form-data');
    expect(content?.encoding).toEqual({
      file: { contentType: 'application/pdf' },
      metadata: { contentType: 'application/json' },
    });
    expect(content?.schema).toMatchObject({
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    });
  });

  it('form-urlencoded body', async () => {
    const { ir } = await buildFixture('form-urlencoded.yaml');
    const body = operation(ir, 'login').requestBody;
    expect(body?.required).toBe(true);
    expect(body?.contents.map((c) => c.mediaType)).toEqual(['application/x-www-form-urlencoded']);
    expect(body?.contents[0]?.schema).toMatchObject({ required: ['username', 'password'] });
  });

  it('security schemes: env var names and effective security per operation', async () => {
    const { ir, diagnostics } = await buildFixture('security-schemes.yaml');
    expect(ir.securitySchemes).toEqual({
      bearerAuth: { key: 'bearerAuth', type: 'http', scheme: 'bearer', env: { token: 'BEARER_AUTH' } },
      basicAuth: {
        key: 'basicAuth',
        type: 'http',
        scheme: 'basic',
        env: { username: 'BASIC_AUTH_USERNAME', password: 'BASIC_AUTH_PASSWORD' },
      },
      api_key: { key: 'api_key', type: 'apiKey', in: 'header', name: 'X-API-Key', env: { token: 'API_KEY' } },
      queryKey: { key: 'queryKey', type: 'apiKey', in: 'query', name: 'key', env: { token: 'QUERY_KEY' } },
      session: { key: 'session', type: 'apiKey', in: 'cookie', name: 'SESSIONID', env: { token: 'SESSION' } },
      petstore_auth: { key: 'petstore_auth', type: 'oauth2', env: { token: 'PETSTORE_AUTH' } },
      openId: { key: 'openId', type: 'openIdConnect', env: { token: 'OPEN_ID' } },
    });
    const security = Object.fromEntries(ir.operations.map((o) => [o.id, o.security]));
    expect(security).toEqual({
      getPublic: [],
      getOptional: [{}, { bearerAuth: [] }],
      getDefault: [{ bearerAuth: [] }],
      getEither: [{ basicAuth: [] }, { api_key: [], session: [] }],
      getOauth: [{ petstore_auth: ['read:pets', 'write:pets'] }, { openId: [] }, { queryKey: [] }],
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_SECURITY_SCHEME', pointer: '/paths/~1oauth/get/security/3' }),
    ]);
  });

  it('operation ids: operationId kept (sanitised), derived from method+path otherwise, always unique', async () => {
    const { ir, diagnostics } = await buildFixture('missing-operation-id.yaml');
    expect(ir.operations.map((o) => [o.method, o.path, o.id, o.operationId])).toEqual([
      ['get', '/', 'get_root', undefined],
      ['get', '/pets', 'get_pets_2', undefined],
      ['post', '/pets', 'pets_create', 'pets.create'],
      ['get', '/animals', 'get_pets', 'get_pets'],
      ['delete', '/pets/{petId}', 'removePet', 'removePet'],
      ['get', '/pets/{petId}/toys', 'removePet_2', 'removePet'],
      ['get', '/pets-list', 'get_pets_list', undefined],
      ['get', '/pets_list', 'get_pets_list_2', undefined],
      ['get', '/2fa/codes', 'op_2fa_codes', '2fa-codes'],
    ]);
    for (const op of ir.operations) expect(op.id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    expect(diagnostics.map((d) => [d.code, d.pointer])).toEqual([
      ['DUPLICATE_OPERATION_ID', '/paths/~1pets~1{petId}~1toys/get/operationId'],
    ]);
  });

  it('no examples: every examples list is empty', async () => {
    const { ir } = await buildFixture('no-examples.yaml');
    const op = operation(ir, 'listItems');
    expect(op.parameters[0]?.examples).toEqual([]);
    expect(op.responses[0]?.contents[0]?.examples).toEqual([]);
  });

  it('examples everywhere: example first, then examples.*.value ($ref resolved)', async () => {
    const { ir } = await buildFixture('examples-everywhere.yaml');
    const op = operation(ir, 'updateItem');
    expect(op.parameters.map((p) => [p.name, p.examples, p.contentType])).toEqual([
      ['itemId', [42, 9000, 7], undefined],
      ['X-Trace', ['trace-1'], 'text/plain'],
    ]);
    expect(op.requestBody?.contents[0]?.examples).toEqual([{ name: 'gadget' }, { name: 'gizmo' }]);
    expect(op.requestBody?.contents[0]?.schema).toEqual({
      type: 'object',
      properties: { name: { type: 'string', example: 'widget' } },
    });
    expect(op.responses[0]?.contents[0]?.examples).toEqual([{ id: 42 }]);
  });

  it('parameter styles: merged path-item + operation, style/explode resolved', async () => {
    const { ir, diagnostics } = await buildFixture('parameter-styles.yaml');
    const op = operation(ir, 'search');
    expect(
      op.parameters.map((p) => [p.name, p.in, p.style, p.explode, p.required, p.allowReserved, p.deprecated]),
    ).toEqual([
      ['coords', 'path', 'matrix', true, true, false, false],
      ['label', 'path', 'label', false, true, false, false],
      ['plain', 'path', 'simple', false, true, false, false],
      ['filter', 'query', 'deepObject', true, false, false, false],
      ['ids', 'query', 'pipeDelimited', false, false, false, false],
      ['tags', 'query', 'form', false, true, false, false],
      ['X-Request-Id', 'header', 'simple', false, false, false, false],
      ['session', 'cookie', 'form', true, false, false, false],
      ['q', 'query', 'form', true, false, true, true],
    ]);
    expect(op.parameters.find((p) => p.name === 'tags')?.description).toContain('overrides');
    expect(diagnostics.map((d) => [d.severity, d.code])).toEqual([['info', 'HEADER_PARAMETER_IGNORED']]);
  });

  it('swagger 2.0: servers from host/basePath, body and formData as request bodies, basic auth', async () => {
    const { ir } = await buildFixture('swagger-2.0.yaml');
    expect(ir.sourceVersion).toBe('2.0');
    expect(ir.servers).toEqual([{ url: 'https://petstore.example.com/v1' }]);
    expect(ir.securitySchemes.basic).toEqual({
      key: 'basic',
      type: 'http',
      scheme: 'basic',
      env: { username: 'BASIC_USERNAME', password: 'BASIC_PASSWORD' },
    });
    expect(operation(ir, 'listPets').parameters.map((p) => [p.name, p.style, p.explode])).toEqual([
      ['tags', 'form', false],
      ['limit', 'form', true],
    ]);
    expect(operation(ir, 'createPet').requestBody?.contents[0]?.schema).toEqual({
      $ref: '#/components/schemas/Pet',
    });
    expect(operation(ir, 'uploadPhoto').requestBody?.contents[0]).toMatchObject({
      mediaType: 'multipart/form-data',
      schema: {
        type: 'object',
        properties: { file: { type: 'string', format: 'binary' } },
        required: ['file'],
      },
    });
    expect(ir.schemas.Pet).toMatchObject({ properties: { tag: { type: ['string', 'null'] } } });
  });

  it('links resolve to IR operation ids (operationId, operationRef, $ref)', async () => {
    const { ir, diagnostics } = await buildFixture('links.yaml');
    expect(operation(ir, 'createUser').responses[0]?.links).toEqual([
      { name: 'GetUser', targetOperation: 'getUser', parameters: { userId: '$response.body#/id' } },
      {
        name: 'DeleteUser',
        targetOperation: 'delete_users_userId',
        parameters: { userId: '$response.body#/id' },
      },
      {
        name: 'Rename',
        targetOperation: 'renameUser',
        parameters: { userId: '$response.body#/id' },
        requestBody: { name: 'renamed' },
      },
      { name: 'Nowhere', parameters: {} },
    ]);
    expect(diagnostics.map((d) => d.code)).toEqual(['LINK_TARGET_UNRESOLVED']);
  });

  it('2XX / default responses kept, XX upper-cased, Content-Type header ignored, header $refs resolved', async () => {
    const { ir } = await buildFixture('status-ranges.yaml');
    const op = operation(ir, 'startJob');
    expect(op.responses.map((r) => r.status)).toEqual(['2XX', '4XX', 'default']);
    expect(op.responses[0]?.headers).toEqual({
      Location: { required: true, schema: { type: 'string', format: 'uri' } },
      'X-Rate-Limit': { required: false, schema: { type: 'integer' } },
    });
    expect(op.responses[2]?.contents.map((c) => c.mediaType)).toEqual(['application/problem+json']);
  });

  it('operation without responses: kept with no responses, warned by the loader', async () => {
    const { ir, all } = await buildFixture('operation-without-responses.yaml');
    expect(operation(ir, 'ping').responses).toEqual([]);
    expect(all.map((d) => d.code)).toEqual(['OPERATION_WITHOUT_RESPONSES']);
  });

  it('a path parameter missing from an operation skips that operation with a warning', async () => {
    const { ir, diagnostics } = await buildFixture('path-parameter-undefined.yaml');
    expect(ir.operations.map((o) => o.id)).toEqual(['deleteOrder']);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'PATH_PARAMETER_UNDEFINED',
        pointer: '/paths/~1orders~1{orderId}/get',
      }),
    ]);
  });

  it('servers: variables substituted by defaults, path- and operation-level overrides', async () => {
    const { ir } = await buildFixture('servers.yaml');
    expect(ir.servers).toEqual([
      { url: 'https://eu.api.example.com/v2', description: 'Regional' },
      { url: '/relative' },
    ]);
    expect(ir.operations.map((o) => [o.id, o.servers])).toEqual([
      ['getStatus', [{ url: 'https://status.example.com' }]],
      ['postStatus', [{ url: 'https://write.example.com' }]],
      ['getOther', undefined],
    ]);
  });

  it('petstore.json: the whole IR of a small spec', async () => {
    const { ir, all } = await buildFixture('petstore.json');
    expect(all).toEqual([]);
    expect(ir).toEqual({
      title: 'Petstore (JSON)',
      version: '1.0.0',
      sourceVersion: '3.0.3',
      servers: [{ url: 'https://petstore.example.com/v1' }],
      securitySchemes: {},
      schemas: {
        Pet: {
          type: 'object',
          required: ['id', 'name'],
          properties: { id: { type: 'integer', format: 'int64' }, name: { type: 'string' } },
        },
      },
      operations: [
        {
          id: 'listPets',
          operationId: 'listPets',
          method: 'get',
          path: '/pets',
          tags: ['pets'],
          deprecated: false,
          parameters: [
            {
              name: 'limit',
              in: 'query',
              required: false,
              style: 'form',
              explode: true,
              allowReserved: false,
              schema: { type: 'integer', format: 'int32' },
              examples: [],
              deprecated: false,
            },
          ],
          responses: [
            {
              status: '200',
              description: 'A page of pets.',
              contents: [
                {
                  mediaType: 'application/json',
                  examples: [],
                  schema: { type: 'array', items: { $ref: '#/components/schemas/Pet' } },
                },
              ],
              headers: {},
              links: [],
            },
          ],
          security: [],
          pointer: '/paths/~1pets/get',
        },
        {
          id: 'createPet',
          operationId: 'createPet',
          method: 'post',
          path: '/pets',
          tags: ['pets'],
          deprecated: false,
          parameters: [],
          requestBody: {
            required: true,
            contents: [
              { mediaType: 'application/json', examples: [], schema: { $ref: '#/components/schemas/Pet' } },
            ],
          },
          responses: [{ status: '201', description: 'Created.', contents: [], headers: {}, links: [] }],
          security: [],
          pointer: '/paths/~1pets/post',
        },
      ],
    });
  });
});
