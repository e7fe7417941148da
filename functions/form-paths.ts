// Which addresses the lazily loaded form routes (functions/form-routes.ts) answer, so that only a request for one of
// them loads that group; test/lazy-routes.test.ts checks every route of the group is covered.
export const FORM_PATH =
  /^\/(?:(?:admin|subscribe)(?:\/.*)?|login|register|logout|forgot|reset|setup|verify-email|confirm-email|unsubscribe|posts\/[^/]+\/(?:comments|reactions\/[^/]+))$/;
