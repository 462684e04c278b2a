// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash built to be a strong MAC for
// short inputs. The cache of verified tokens keeps a secret's SipHash under a key drawn once per
// process, and compares a presented secret's with it, rather than hashing every presented secret
// with SHA-256 through OpenSSL: that call alone (its setup, the binding, a latin1 string for the
// digest) cost about 6,700 instructions of the 90,000 an authenticated request took, and this
// about 1,000. Without the key, which never leaves the process, matching a tag takes 2^64 guesses.
//
// Written over 32-bit halves held as int32 (JavaScript's bitwise operators work on 32 bits; `| 0`
// keeps each sum a machine integer, and a carry is an unsigned comparison), with no allocation:
// the tag is written into the caller's array. Checked against the reference test vectors
// (test/auth/siphash.test.ts).

/** A SipHash key: its two 64-bit words k0 and k1 as [k0 low, k0 high, k1 low, k1 high]. */
export type SipKey = Uint32Array;

/** The key in 16 bytes, little-endian, as the reference implementation reads it. */
export function sipKey(bytes: Uint8Array): SipKey {
  if (bytes.length !== 16) throw new RangeError('a SipHash key is 16 bytes');
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return Uint32Array.of(view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true), view.getUint32(12, true));
}

/** The character at `i`, or 0 past the end (the last word's padding). */
const codeAt = (message: string, i: number, length: number) => (i < length ? message.charCodeAt(i) : 0);

/**
 * SipHash-2-4 of `message` read as latin1 bytes (one byte per character), written into `out` as
 * [low 32 bits, high 32 bits]. False, with `out` meaningless, when a character is beyond U+00FF
 * (it has no latin1 byte); the time taken does not depend on the characters.
 */
export function sipHash24(key: SipKey, message: string, out: Uint32Array): boolean {
  // The state v0..v3, each as a high and a low half.
  let v0h = key[1]! ^ 0x736f6d65, v0l = key[0]! ^ 0x70736575;
  let v1h = key[3]! ^ 0x646f7261, v1l = key[2]! ^ 0x6e646f6d;
  let v2h = key[1]! ^ 0x6c796765, v2l = key[0]! ^ 0x6e657261;
  let v3h = key[3]! ^ 0x74656462, v3l = key[2]! ^ 0x79746573;
  const length = message.length;
  // Whole 8-byte words, then the last word: the remaining bytes and the length (mod 256) in its top byte.
  const words = (length >>> 3) + 1;
  let wide = 0; // the OR of every character: beyond 0xff when one has no latin1 byte
  let t = 0;

  // Steps 0..words-1 take a message word m (v3 ^= m, two rounds, v0 ^= m); step `words` finishes
  // (v2 ^= 0xff, four rounds), with m = 0.
  for (let step = 0; step <= words; step++) {
    let mh = 0;
    let ml = 0;
    if (step < words) {
      const i = step * 8;
      const c0 = codeAt(message, i, length), c1 = codeAt(message, i + 1, length);
      const c2 = codeAt(message, i + 2, length), c3 = codeAt(message, i + 3, length);
      const c4 = codeAt(message, i + 4, length), c5 = codeAt(message, i + 5, length);
      const c6 = codeAt(message, i + 6, length), c7 = codeAt(message, i + 7, length);
      wide |= c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7;
      ml = (c0 & 0xff) | ((c1 & 0xff) << 8) | ((c2 & 0xff) << 16) | ((c3 & 0xff) << 24);
      mh = (c4 & 0xff) | ((c5 & 0xff) << 8) | ((c6 & 0xff) << 16) | ((c7 & 0xff) << 24);
      if (step === words - 1) mh |= (length & 0xff) << 24;
    } else {
      v2l ^= 0xff;
    }
    v3h ^= mh; v3l ^= ml;
    for (let r = step < words ? 2 : 4; r > 0; r--) {
      // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
      v0l = (v0l + v1l) | 0; v0h = (v0h + v1h + ((v0l >>> 0) < (v1l >>> 0) ? 1 : 0)) | 0;
      t = v1h; v1h = (v1h << 13) | (v1l >>> 19); v1l = (v1l << 13) | (t >>> 19);
      v1h ^= v0h; v1l ^= v0l;
      t = v0h; v0h = v0l; v0l = t;
      // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
      v2l = (v2l + v3l) | 0; v2h = (v2h + v3h + ((v2l >>> 0) < (v3l >>> 0) ? 1 : 0)) | 0;
      t = v3h; v3h = (v3h << 16) | (v3l >>> 16); v3l = (v3l << 16) | (t >>> 16);
      v3h ^= v2h; v3l ^= v2l;
      // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
      v0l = (v0l + v3l) | 0; v0h = (v0h + v3h + ((v0l >>> 0) < (v3l >>> 0) ? 1 : 0)) | 0;
      t = v3h; v3h = (v3h << 21) | (v3l >>> 11); v3l = (v3l << 21) | (t >>> 11);
      v3h ^= v0h; v3l ^= v0l;
      // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
      v2l = (v2l + v1l) | 0; v2h = (v2h + v1h + ((v2l >>> 0) < (v1l >>> 0) ? 1 : 0)) | 0;
      t = v1h; v1h = (v1h << 17) | (v1l >>> 15); v1l = (v1l << 17) | (t >>> 15);
      v1h ^= v2h; v1l ^= v2l;
      t = v2h; v2h = v2l; v2l = t;
    }
    v0h ^= mh; v0l ^= ml;
  }
  out[0] = v0l ^ v1l ^ v2l ^ v3l;
  out[1] = v0h ^ v1h ^ v2h ^ v3h;
  return wide <= 0xff;
}
