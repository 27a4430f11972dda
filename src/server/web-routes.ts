import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DemoAccount } from '../db/demo';
import type { AppServices } from '../context';
import { send } from './http-handler';
import type { Route } from './ops-routes';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
};

/** The page's folder: `web/` at the project root, from src/server (ts) or dist/src/server (built). */
export const WEB_DIR = [path.resolve(__dirname, '../../web'), path.resolve(__dirname, '../../../web')].find(
  (dir) => existsSync(path.join(dir, 'index.html')),
);

/** The live page: `/` and the files of web/ (flat, no directories), read from disk on each request. */
export function pageRoute(): Route {
  return async (req, res, pathname) => {
    if (!WEB_DIR || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const name = pathname === '/' ? 'index.html' : pathname.slice(1);
    if (!/^[a-z0-9-]+\.(html|js|css|png)$/.test(name)) return false;
    let body: Buffer;
    try {
      body = await fs.readFile(path.join(WEB_DIR, name));
    } catch {
      return false;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(name)],
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

/**
 * `/demo-accounts`: the demo accounts' tokens, for the page's one-click sign-in. Only in the embedded quick
 * start (no JWT_SECRET, so the built-in development secret): anywhere else it does not exist (404).
 */
export function demoRoute(services: AppServices, demoAccounts: DemoAccount[]): Route {
  return async (_req, res, pathname) => {
    if (pathname !== '/demo-accounts' || !services.config.devSecret || demoAccounts.length === 0)
      return false;
    const { tokens } = services;
    send(res, 200, {
      accounts: await Promise.all(
        demoAccounts.map(async (a) => ({ ...a, token: await tokens.sign({ role: 'user', sub: a.id }) })),
      ),
      operator: await tokens.sign({ role: 'operator', sub: 'demo-operator' }),
    });
    return true;
  };
}
