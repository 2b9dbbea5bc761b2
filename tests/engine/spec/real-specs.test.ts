import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIr } from '../../../cli/engine/ir/build-ir.ts';
import { loadSpec } from '../../../cli/engine/spec/load-spec.ts';
import { REAL } from './helpers.ts';

/** Pinned real specs (see tests/fixtures/specs/real/README.md) and what their IR must contain. */
const REAL_SPECS = [
  {
    file: 'adyen-stored-value.json',
    version: '3.1.0',
    operations: 6,
    schemes: { BasicAuth: 'http', ApiKeyAuth: 'apiKey' },
    firstId: 'post_changeStatus',
  },
  {
    file: 'azure-iot-dps.json',
    version: '3.0.0',
    operations: 18,
    schemes: { azure_auth: 'oauth2' },
    firstId: 'Operations_List',
  },
  {
    file: 'twilio-proxy-v1.json',
    version: '3.0.1',
    operations: 30,
    schemes: { accountSid_authToken: 'http' },
    firstId: 'ListService',
  },
  {
    file: 'whatsapp-business.json',
    version: '3.0.0',
    operations: 55,
    schemes: { bearerAuth: 'http', httpBasic: 'http' },
    firstId: 'RequestCode',
  },
];

describe('real specs', () => {
  it.each(REAL_SPECS)(
    '$file loads and builds an IR',
    async ({ file, version, operations, schemes, firstId }) => {
      const spec = await loadSpec(join(REAL, file));
      const { ir, diagnostics } = buildIr(spec);
      expect(ir.sourceVersion).toBe(version);
      expect(ir.operations).toHaveLength(operations);
      expect(ir.operations[0]?.id).toBe(firstId);
      expect(Object.fromEntries(Object.entries(ir.securitySchemes).map(([k, s]) => [k, s.type]))).toEqual(
        schemes,
      );
      expect(new Set(ir.operations.map((o) => o.id)).size).toBe(operations);
      expect([...spec.diagnostics, ...diagnostics].filter((d) => d.severity === 'error')).toEqual([]);
    },
  );

  it('env var names of the Twilio basic-auth scheme', async () => {
    const { ir } = buildIr(await loadSpec(join(REAL, 'twilio-proxy-v1.json')));
    expect(ir.securitySchemes.accountSid_authToken?.env).toEqual({
      username: 'ACCOUNT_SID_AUTH_TOKEN_USERNAME',
      password: 'ACCOUNT_SID_AUTH_TOKEN_PASSWORD',
    });
  });
});
