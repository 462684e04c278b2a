// Records when each token was last used, off the request path: `touch` only notes the time in
// memory; a timer (KEYSMITH_LAST_USED_FLUSH_MS) and shutdown write the pending times in batches.
import type { LastUsedRecorder, Services } from '../services.js';
import { recordTokensLastUsed } from '../store/tokens.js';

/** Beyond this many distinct pending tokens, a flush starts at once rather than on the timer. */
const EAGER_FLUSH_AT = 50_000;

export function createLastUsedRecorder(services: Services): LastUsedRecorder {
  let pending = new Map<string, number>();
  let flushing: Promise<void> = Promise.resolve();

  async function write(batch: Map<string, number>): Promise<void> {
    try {
      await recordTokensLastUsed(services.db, batch);
    } catch (err) {
      services.logger.warn({ err: (err as Error).message, tokens: batch.size }, 'could not record token last-used times; retrying later');
      // Keep them for the next flush, unless newer times arrived meanwhile.
      for (const [id, at] of batch) if ((pending.get(id) ?? 0) < at) pending.set(id, at);
    }
  }

  function flush(): Promise<void> {
    // Flushes run one after another; each takes what is pending when it starts.
    flushing = flushing.then(() => {
      if (pending.size === 0) return;
      const batch = pending;
      pending = new Map();
      return write(batch);
    });
    return flushing;
  }

  const timer = setInterval(() => { void flush(); }, Math.max(10, services.config.lastUsedFlushMs));
  timer.unref();
  services.onClose(async () => {
    clearInterval(timer);
    await flush();
  });

  return {
    touch(tokenId, at) {
      const previous = pending.get(tokenId);
      if (previous === undefined || previous < at) pending.set(tokenId, at);
      if (previous === undefined && pending.size >= EAGER_FLUSH_AT) void flush();
    },
    flush,
  };
}
