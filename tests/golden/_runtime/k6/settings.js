const BASE_URL = String(__ENV.BASE_URL || '').replace(/\/+$/, '');
if (!BASE_URL) {
  throw new Error('BASE_URL is not set: k6 run -e BASE_URL=https://api.example.com load-test.js');
}
const VUS = Number(__ENV.VUS || 5);
const DURATION = __ENV.DURATION || '30s';
const MAX_ERROR_RATE = Number(__ENV.MAX_ERROR_RATE || 0.01);
const P95_MS = Number(__ENV.P95_MS || 500);
const MIN_CHECK_RATE = Number(__ENV.MIN_CHECK_RATE || 0.99);
const INVALID_CREDENTIAL = 'invalid-specmint-credential';
const MULTIPART_BOUNDARY = 'specmint-k6-boundary-7MA4YWxkTrZu0gW';
