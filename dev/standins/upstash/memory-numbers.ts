// Redis' number formatting, bit for bit: INCRBYFLOAT works in x87 long double and prints "%.17Lf" trimmed, scores
// print as "%.17g". JS doubles alone answer 0.1 + 0.2 with 0.30000000000000004 where Redis says 0.3.

import { CommandError } from './reply';

/** An x87 80-bit long double: mantissa (64 significant bits once normalised) times 2^exponent, with a sign. */
interface LongDouble {
  negative: boolean;
  mantissa: bigint;
  exponent: number;
}

const MANTISSA_BITS = 64;
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
// Largest finite long double is just under 2^16384.
const MAX_BINARY_EXPONENT = 16384;

/**
 * Redis' string2ld: strtold over the whole string, no leading space, no NaN. Decimal forms and inf are read
 * here; hex floats (also strtold syntax) are rare enough to be refused rather than guessed.
 */
export function parseLongDouble(text: string, error: string): LongDouble | 'inf' | '-inf' {
  if (text.length === 0 || text.length > MAX_LONG_DOUBLE_CHARS) throw new CommandError(error);
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? '-inf' : 'inf';
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new CommandError(error);
  const digits = `${match[2]}${match[3] ?? ''}`.replace(/^0+(?=\d)/, '');
  const scale = Number(match[4] ?? 0) - (match[3] ?? '').length;
  const negative = match[1] === '-';
  if (/^0*$/.test(digits)) return { negative, mantissa: 0n, exponent: 0 };
  if (scale > 5000) return negative ? '-inf' : 'inf';
  if (scale < -5100) return { negative, mantissa: 0n, exponent: 0 };
  const numerator = BigInt(digits) * (scale > 0 ? 10n ** BigInt(scale) : 1n);
  const denominator = scale < 0 ? 10n ** BigInt(-scale) : 1n;
  return roundRational(negative, numerator, denominator, 0);
}

/** Rounds numerator/denominator * 2^exponent to 64 significant bits, half to even, as the FPU does. */
function roundRational(negative: boolean, numerator: bigint, denominator: bigint, exponent: number): LongDouble {
  if (numerator === 0n) return { negative, mantissa: 0n, exponent: 0 };
  let shift = bitLength(numerator) - bitLength(denominator) - MANTISSA_BITS;
  let quotient: bigint;
  let remainder: bigint;
  let divisor: bigint;
  for (;;) {
    const scaledNumerator = shift < 0 ? numerator << BigInt(-shift) : numerator;
    divisor = shift > 0 ? denominator << BigInt(shift) : denominator;
    quotient = scaledNumerator / divisor;
    remainder = scaledNumerator % divisor;
    if (quotient >= 1n << BigInt(MANTISSA_BITS)) shift += 1;
    else if (quotient < 1n << BigInt(MANTISSA_BITS - 1)) shift -= 1;
    else break;
  }
  const twice = remainder * 2n;
  if (twice > divisor || (twice === divisor && (quotient & 1n) === 1n)) quotient += 1n;
  if (quotient === 1n << BigInt(MANTISSA_BITS)) {
    quotient >>= 1n;
    shift += 1;
  }
  return { negative, mantissa: quotient, exponent: exponent + shift };
}

function bitLength(value: bigint): number {
  return value.toString(2).length;
}

function add(a: LongDouble, b: LongDouble): LongDouble {
  const exponent = Math.min(a.exponent, b.exponent);
  const signed = (x: LongDouble) => (x.negative ? -x.mantissa : x.mantissa) << BigInt(x.exponent - exponent);
  const sum = signed(a) + signed(b);
  // x87 gives +0 for x + (-x) in round-to-nearest.
  if (sum === 0n) return { negative: false, mantissa: 0n, exponent: 0 };
  return roundRational(sum < 0n, sum < 0n ? -sum : sum, 1n, exponent);
}

/** Redis' ld2string(LD_STR_HUMAN): "%.17Lf", then trailing zeros (and a bare point) trimmed, "-0" as "0". */
function formatHuman(value: LongDouble): string {
  const scaled = value.mantissa * 10n ** 17n;
  let fixed: bigint;
  if (value.exponent >= 0) {
    fixed = scaled << BigInt(value.exponent);
  } else {
    const divisor = 1n << BigInt(-value.exponent);
    fixed = scaled / divisor;
    const twice = (scaled % divisor) * 2n;
    if (twice > divisor || (twice === divisor && (fixed & 1n) === 1n)) fixed += 1n;
  }
  const digits = fixed.toString().padStart(18, '0');
  const text = `${digits.slice(0, -17)}.${digits.slice(-17)}`.replace(/0+$/, '').replace(/\.$/, '');
  return value.negative && text !== '0' ? `-${text}` : text;
}

/**
 * INCRBYFLOAT and HINCRBYFLOAT: both operands as long doubles, the sum must stay finite, and the reply (also
 * what is stored) is its human form.
 */
export function incrementFloat(current: string, increment: string, currentError: string): string {
  const base = parseLongDouble(current, currentError);
  const delta = parseLongDouble(increment, 'ERR value is not a valid float');
  if (typeof base === 'string' || typeof delta === 'string') throw nanOrInfinity();
  const sum = add(base, delta);
  if (sum.mantissa !== 0n && sum.exponent + MANTISSA_BITS > MAX_BINARY_EXPONENT) throw nanOrInfinity();
  return formatHuman(sum);
}

function nanOrInfinity(): CommandError {
  return new CommandError('ERR increment would produce NaN or Infinity');
}

/** Redis 7.0 replies with scores as "%.17g" (0.1 is "0.10000000000000001"); infinities as "inf" / "-inf". */
export function formatDouble(value: number): string {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isNaN(value)) return 'nan';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential(16).split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 17) return trimFraction(value.toFixed(16 - exponent));
  const trimmed = trimFraction(mantissa);
  const sign = exponent < 0 ? '-' : '+';
  return `${trimmed}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function trimFraction(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
