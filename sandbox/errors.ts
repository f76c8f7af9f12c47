// Every Catapult error body the sandbox sends comes from here: {category, code, message, details}.

export interface CatapultErrorBody {
  category: string;
  code: string;
  message?: string;
  details: Array<{ name: string; value: string }>;
}

export class SandboxHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: CatapultErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message ?? body.code);
    this.name = 'SandboxHttpError';
  }
}

export function catapultError(
  status: number,
  category: string,
  code: string,
  message?: string,
  details: Array<{ name: string; value: string }> = [],
): SandboxHttpError {
  return new SandboxHttpError(status, { category, code, ...(message === undefined ? {} : { message }), details });
}

export const notFound = (code: string, message: string) => catapultError(404, 'not-found', code, message);
export const badRequest = (code: string, message: string) => catapultError(400, 'bad-request', code, message);
export const conflict = (code: string, message: string) => catapultError(409, 'conflict', code, message);
export const forbidden = (code: string, message: string, category = 'authorization') =>
  catapultError(403, category, code, message);
