import { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors';

/** True when every percent-escape in `text` decodes to valid UTF-8 (as decodeURIComponent demands). */
function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a URL whose path or query has a malformed percent-escape (`%zz`, a lone `%`) or one
 * that is not UTF-8 (`%C0%AF`, `%FF`, `%ED%A0%80`) with 400 MALFORMED_URL, before routing, so the
 * answer is the same for every route and for no route at all.
 */
export function rejectMalformedUrl(req: Request, _res: Response, next: NextFunction): void {
  if (req.url.includes('%') && !decodes(req.url)) {
    throw new ApiError(
      'MALFORMED_URL',
      'the URL has a malformed percent-escape: each % must start an escape of UTF-8 bytes (%25 for a literal %)',
    );
  }
  next();
}
