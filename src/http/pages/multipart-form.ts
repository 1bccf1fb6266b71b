import type { Request, RequestHandler, Response } from 'express';
import busboy from 'busboy';
import { AppError } from '../../platform/errors.js';

/** A file a multipart form carried; `truncated` when it was larger than the limit. */
export interface UploadedFile {
  field: string;
  filename: string;
  /** As the browser declared it (from the file's name, usually). */
  mimeType: string;
  data: Buffer;
  truncated: boolean;
}

/** What a multipart form carried besides its text fields (those are in req.body). */
export interface MultipartParts {
  files: UploadedFile[];
  /** Text fields cut at the field limit: the caller refuses them by name. */
  truncatedFields: string[];
}

const PARTS = 'multipartParts';

/** The files and cut fields of a form parsed by `pageFormWithFiles` (none for a URL-encoded one). */
export const partsOf = (res: Response): MultipartParts =>
  (res.locals[PARTS] as MultipartParts | undefined) ?? { files: [], truncatedFields: [] };

const tooLarge = () =>
  new AppError('payload_too_large', 'The request body is larger than this page accepts.', {
    status: 413,
  });

/** Reads a multipart/form-data body with busboy, a file or a field cut at its limit (not refused). */
function readMultipart(
  req: Request,
  res: Response,
  limits: { fileBytes: number; fieldBytes: number; totalBytes: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: limits.fileBytes, fieldSize: limits.fieldBytes, fields: 20, files: 1 },
      });
    } catch {
      reject(new AppError('validation_failed', 'The form could not be read.', { status: 400 }));
      return;
    }
    const fields: Record<string, string> = {};
    const parts: MultipartParts = { files: [], truncatedFields: [] };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) parts.truncatedFields.push(name);
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      const file: UploadedFile = {
        field: name,
        filename: info.filename ?? '',
        mimeType: info.mimeType,
        data: Buffer.alloc(0),
        truncated: false,
      };
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (file.truncated = true));
      stream.on('end', () => {
        file.data = Buffer.concat(chunks);
        parts.files.push(file);
      });
    });
    parser.on('error', () =>
      reject(new AppError('validation_failed', 'The form could not be read.', { status: 400 })),
    );
    parser.on('close', () => {
      req.body = fields;
      res.locals[PARTS] = parts;
      resolve();
    });
    // A body without a length (chunked) is counted as it comes, and cut off past the total.
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen <= limits.totalBytes) return;
      req.unpipe(parser);
      req.resume();
      reject(tooLarge());
    });
    req.pipe(parser);
  });
}

/**
 * The body parser of a page form that may carry one file (multipart/form-data, busboy):
 * text fields into req.body as the URL-encoded parser leaves them, the file and the cut
 * fields in `partsOf(res)`. A file or field over its limit is cut and marked, so the page
 * can say which field was too large; a body larger than `totalBytes` (all parts at their
 * limits, and some room) is refused whole (413). A URL-encoded form is read by the pages' own parser.
 */
export function pageFormWithFiles(options: {
  /** The pages' URL-encoded parser (pageForm). */
  urlEncoded: RequestHandler;
  fileBytes: number;
  fieldBytes: number;
}): RequestHandler {
  const { urlEncoded } = options;
  const totalBytes = options.fileBytes + options.fieldBytes + 64 * 1024;
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      urlEncoded(req, res, next);
      return;
    }
    const declared = Number(req.get('content-length'));
    if (Number.isFinite(declared) && declared > totalBytes) {
      next(tooLarge());
      return;
    }
    readMultipart(req, res, { ...options, totalBytes }).then(() => next(), next);
  };
}
