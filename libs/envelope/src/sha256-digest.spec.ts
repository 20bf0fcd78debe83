import { sha256Digest } from './sha256-digest';

describe('sha256Digest', () => {
  it('prefixes lowercase hex with the algorithm (FIPS 180-2 "abc" vector)', () => {
    expect(sha256Digest('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes strings as UTF-8, the same as their bytes', () => {
    expect(sha256Digest('通办')).toBe(sha256Digest(new TextEncoder().encode('通办')));
    expect(sha256Digest(new Uint8Array())).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
