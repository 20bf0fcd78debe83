import { canonicalJson } from './canonical-json';
import { EnvelopeError, EnvelopeErrorCode } from './envelope.error';

describe('canonicalJson (RFC 8785)', () => {
  it('serialises numbers the ES6 way (RFC 8785 §3.2.2.3 and appendix B)', () => {
    expect(canonicalJson([1e30, 4.5, 4.50, -0, 0, 1e21, 1e-7, 0.000001, 333333333.33333329, 1e23, 9007199254740992])).toBe(
      '[1e+30,4.5,4.5,0,0,1e+21,1e-7,0.000001,333333333.3333333,1e+23,9007199254740992]',
    );
  });

  it('reproduces the RFC 8785 §3.2.3 example', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('orders keys by UTF-16 code units, not by code point or locale (RFC 8785 §3.2.3 sorting example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Escapes, not literals: an editor could silently normalise U+FB33 into two code points.
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('is independent of the key order it is given, at every depth', () => {
    expect(canonicalJson({ b: [{ y: 1, x: 2 }], a: { d: null, c: 'c' } })).toBe(canonicalJson({ a: { c: 'c', d: null }, b: [{ x: 2, y: 1 }] }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a lone surrogate', { s: '\ud800' }],
    ['undefined', undefined],
  ])('refuses %s with MALFORMED_BODY', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(expect.objectContaining({ code: EnvelopeErrorCode.MALFORMED_BODY }) as EnvelopeError);
  });

  it('refuses cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(EnvelopeError);
  });
});
