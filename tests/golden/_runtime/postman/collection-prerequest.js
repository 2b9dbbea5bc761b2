// BASE_URL convention: no trailing slash, so "{{baseUrl}}/path" never doubles it.
const baseUrl = String(pm.variables.get('baseUrl') || '');
if (baseUrl.endsWith('/')) pm.variables.set('baseUrl', baseUrl.replace(/\/+$/, ''));
