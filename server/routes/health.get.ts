import type { Handler } from 'hono';
import { SPECMINT_VERSION } from '../../shared/version.ts';
import type { AppEnv } from '../http/principal.ts';

/** `GET /healthz`: the process is up (no dependency checks). */
export const getHealth: Handler<AppEnv> = (c) => c.json({ status: 'ok', version: SPECMINT_VERSION });
