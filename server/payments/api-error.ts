// An error meant for the kiosk: HTTP status + stable code + a message fit for a cashier. Anything that is not
// an ApiError becomes a generic 500 that leaks nothing (DESIGN §5).
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
