import { STATUS_CODES } from 'node:http';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** RFC 9457 problem details document. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  request_id?: string;
  [extension: string]: unknown;
}

export function problemType(code: string | undefined): string {
  return code ? `urn:aragora:problem:${code}` : 'about:blank';
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
