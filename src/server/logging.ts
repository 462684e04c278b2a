// What the logger must never print: credentials in headers and bodies.
export const LOG_REDACT_PATHS = [
  'req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]',
  'headers["x-api-key"]', 'headers.authorization', 'headers.cookie',
  'password', '*.password', 'newPassword', 'currentPassword', '*.newPassword', '*.currentPassword',
  'token', '*.token', 'tokenValue', '*.tokenValue', 'secret', '*.secret',
];
