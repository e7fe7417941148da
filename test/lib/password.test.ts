import { describe, expect, it } from 'vitest';
import { hashPassword, PBKDF2_ITERATIONS, verifyPassword } from '../../lib/auth/password';

describe('password hashing', () => {
  it('is pinned to the 100,000 PBKDF2 iterations production workerd allows (local workerd has no cap)', async () => {
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    expect(await hashPassword('a long enough password')).toMatch(/^pbkdf2-sha256\$i=100000,p=0\$/);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toEqual({ valid: true, needsRehash: false });
    expect((await verifyPassword('correct horse battery stapler', stored)).valid).toBe(false);
  });

  it('uses a fresh salt for every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('asks for a rehash when the parameters are weaker than today', async () => {
    const old = await hashPassword('pw-pw-pw-pw', { iterations: 1000 });
    expect(await verifyPassword('pw-pw-pw-pw', old)).toEqual({ valid: true, needsRehash: true });
  });

  it('binds a peppered hash to its pepper', async () => {
    const stored = await hashPassword('peppered password', { pepper: 'server-side-pepper-123' });
    expect((await verifyPassword('peppered password', stored, { pepper: 'server-side-pepper-123' })).valid).toBe(true);
    expect((await verifyPassword('peppered password', stored, { pepper: 'another-pepper-4567' })).valid).toBe(false);
    expect((await verifyPassword('peppered password', stored)).valid).toBe(false);
  });

  it('refuses hashes asking for more iterations than production allows', async () => {
    expect((await verifyPassword('x', 'pbkdf2-sha256$i=200000,p=0$AAAA$AAAA')).valid).toBe(false);
  });
});
