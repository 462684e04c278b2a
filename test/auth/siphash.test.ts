// SipHash-2-4 against the reference test vectors (key 00 01 … 0f, messages 00 01 … of length 0 to
// 63: every length of the last word and several whole words), and against a plain BigInt
// implementation of the paper's description for any key and message.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sipHash24, sipKey } from '../../src/auth/siphash.js';

// The reference implementation's vectors_sip64, each the 8 output bytes in hex (little-endian).
const VECTORS = [
  "310e0edd47db6f72", "fd67dc93c539f874", "5a4fa9d909806c0d", "2d7efbd796666785",
  "b7877127e09427cf", "8da699cd64557618", "cee3fe586e46c9cb", "37d1018bf50002ab",
  "6224939a79f5f593", "b0e4a90bdf82009e", "f3b9dd94c5bb5d7a", "a7ad6b22462fb3f4",
  "fbe50e86bc8f1e75", "903d84c02756ea14", "eef27a8e90ca23f7", "e545be4961ca29a1",
  "db9bc2577fcc2a3f", "9447be2cf5e99a69", "9cd38d96f0b3c14b", "bd6179a71dc96dbb",
  "98eea21af25cd6be", "c7673b2eb0cbf2d0", "883ea3e395675393", "c8ce5ccd8c030ca8",
  "94af49f6c650adb8", "eab8858ade92e1bc", "f315bb5bb835d817", "adcf6b0763612e2f",
  "a5c91da7acaa4dde", "716595876650a2a6", "28ef495c53a387ad", "42c341d8fa92d832",
  "ce7cf2722f512771", "e37859f94623f3a7", "381205bb1ab0e012", "ae97a10fd434e015",
  "b4a31508beff4d31", "81396229f0907902", "4d0cf49ee5d4dcca", "5c73336a76d8bf9a",
  "d0a704536ba93e0e", "925958fcd6420cad", "a915c29bc8067318", "952b79f3bc0aa6d4",
  "f21df2e41d4535f9", "87577519048f53a9", "10a56cf5dfcd9adb", "eb75095ccd986cd0",
  "51a9cb9ecba312e6", "96afadfc2ce666c7", "72fe52975a4364ee", "5a1645b276d592a1",
  "b274cb8ebf87870a", "6f9bb4203de7b381", "eaecb2a30b22a87f", "9924a43cc1315724",
  "bd838d3aafbf8db7", "0b1a2a3265d51aea", "135079a3231ce660", "932b2846e4d70666",
  "e1915f5cb1eca46c", "f325965ca16d629f", "575ff28e60381be5", "724506eb4c328a95",
];

/** A tag as the reference writes it: 8 bytes, little-endian, in hex. */
function hexOf(out: Uint32Array): string {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32LE(out[0]!, 0);
  bytes.writeUInt32LE(out[1]!, 4);
  return bytes.toString('hex');
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** The paper's SipHash-2-4, over BigInt, written for clarity rather than speed. */
function referenceSipHash(key: Uint8Array, message: Uint8Array): string {
  const MASK = (1n << 64n) - 1n;
  const rotl = (x: bigint, b: bigint) => ((x << b) | (x >> (64n - b))) & MASK;
  const word = (bytes: Uint8Array, at: number) => Buffer.from(bytes.subarray(at, at + 8)).readBigUInt64LE(0);
  const k0 = word(key, 0), k1 = word(key, 8);
  const v = [k0 ^ 0x736f6d6570736575n, k1 ^ 0x646f72616e646f6dn, k0 ^ 0x6c7967656e657261n, k1 ^ 0x7465646279746573n];
  const round = () => {
    v[0] = (v[0]! + v[1]!) & MASK; v[1] = rotl(v[1]!, 13n) ^ v[0]; v[0] = rotl(v[0], 32n);
    v[2] = (v[2]! + v[3]!) & MASK; v[3] = rotl(v[3]!, 16n) ^ v[2];
    v[0] = (v[0] + v[3]) & MASK; v[3] = rotl(v[3], 21n) ^ v[0];
    v[2] = (v[2] + v[1]) & MASK; v[1] = rotl(v[1], 17n) ^ v[2]; v[2] = rotl(v[2], 32n);
  };
  const padded = Buffer.alloc(Math.floor(message.length / 8) * 8 + 8);
  padded.set(message);
  padded[padded.length - 1] = message.length & 0xff;
  for (let at = 0; at < padded.length; at += 8) {
    const m = word(padded, at);
    v[3]! ^= m; round(); round(); v[0]! ^= m;
  }
  v[2]! ^= 0xffn;
  round(); round(); round(); round();
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(v[0]! ^ v[1]! ^ v[2]! ^ v[3]!);
  return out.toString('hex');
}

describe('sipHash24', () => {
  const key = sipKey(Uint8Array.from({ length: 16 }, (_, i) => i));

  it('gives the reference test vectors', () => {
    expect(VECTORS).toHaveLength(64);
    const out = new Uint32Array(2);
    VECTORS.forEach((expected, length) => {
      expect(sipHash24(key, latin1(Uint8Array.from({ length }, (_, i) => i)), out)).toBe(true);
      expect(hexOf(out), `length ${length}`).toBe(expected);
    });
  });

  it('agrees with a plain implementation for any key and message (property)', () => {
    const out = new Uint32Array(2);
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ maxLength: 300 }), (keyBytes, message) => {
      expect(sipHash24(sipKey(keyBytes), latin1(message), out)).toBe(true);
      expect(hexOf(out)).toBe(referenceSipHash(keyBytes, message));
    }), { numRuns: 500 });
  });

  it('says so when a character has no latin1 byte', () => {
    const out = new Uint32Array(2);
    expect(sipHash24(key, 'abc\u0100', out)).toBe(false);
    expect(sipHash24(key, '\u{1F511}', out)).toBe(false);
    expect(sipHash24(key, 'ÿ', out)).toBe(true);
  });

  it('takes a key of exactly 16 bytes', () => {
    expect(() => sipKey(new Uint8Array(15))).toThrow(RangeError);
    expect(() => sipKey(new Uint8Array(17))).toThrow(RangeError);
  });
});
