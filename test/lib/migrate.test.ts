import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../lib/db/migrate';

describe('splitStatements', () => {
  it('splits on semicolons outside quotes, comments and dollar-quoted bodies', () => {
    const sql = `-- a comment; with a semicolon
CREATE TABLE a (x text DEFAULT 'a;b');
/* block; comment */
CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
SELECT 'it''s; fine'`;
    expect(splitStatements(sql)).toEqual([
      "CREATE TABLE a (x text DEFAULT 'a;b')",
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
      "SELECT 'it''s; fine'",
    ]);
  });
});
