// The start-up banner: where keysmith answers, which store it uses and how the admin signs in.
// Printed to stdout directly, never through the logger.
import { isIP } from 'node:net';
import { escapeControls } from '../domain/validation.js';
import type { BootstrapResult } from './start.js';

/** `http://host:port` for an address to listen on or that was bound; IPv6 in brackets, as URLs write it. */
export function httpUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host.replace('%', '%25')}]` : host}:${port}`;
}

/** The URL to show for a server bound to `host`: a wildcard address is reached at localhost. */
export function localUrl(host: string, port: number): string {
  return httpUrl(host === '0.0.0.0' || host === '::' ? 'localhost' : host, port);
}

export interface BannerFacts {
  /** Where users reach keysmith: KEYSMITH_PUBLIC_URL, else the local URL. */
  url: string;
  /** The address and port actually bound, shown when they differ from `url` (behind a proxy). */
  bound: { address: string; port: number } | null;
  /** The store, as storeDescription() names it. */
  storage: string;
  /** Redis's line, when REDIS_URL is set. */
  redis: string | null;
  boot: BootstrapResult;
  adminPasswordFromEnv: boolean;
}

export function bannerText(facts: BannerFacts): string {
  const { boot } = facts;
  const bound = facts.bound ? httpUrl(facts.bound.address, facts.bound.port) : null;
  const lines = [
    '',
    `  keysmith is running at ${facts.url}`,
    ...(bound && bound !== facts.url ? [`  listening on ${bound}`] : []),
    `  storage: ${facts.storage}`,
    ...(facts.redis ? [`  redis:   ${facts.redis}`] : []),
    `  admin:   ${boot.adminEmail ?? 'no enabled account admin (give one back with `npx keysmith admin reset-password --email <email>`)'}`,
    boot.created && facts.adminPasswordFromEnv
      ? '  password: the value of KEYSMITH_ADMIN_PASSWORD'
      : boot.passwordFile
        ? `  password: in ${boot.passwordFile}`
        : '  password: as set before (reset with `npx keysmith admin reset-password --email <email>`)',
    ...(boot.stalePasswordFile ? [`  (${boot.stalePasswordFile} holds the first password, which no longer signs in: delete it)`] : []),
    ...(boot.keptPasswordFile ? [`  (the password file that was there, another store's, is now ${boot.keptPasswordFile})`] : []),
    '',
  ];
  // Text only: an email or a path stored before emails were checked for them could hold characters
  // that steer the operator's terminal (ESC, BEL, bidirectional overrides).
  return lines.map(escapeControls).join('\n') + '\n';
}
