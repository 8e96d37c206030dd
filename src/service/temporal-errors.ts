import { isGrpcServiceError } from '@temporalio/client';

/** gRPC status codes that mean the Temporal frontend could not be reached or did not reply in time. */
const unavailableCode = 14;
const deadlineExceededCode = 4;

/** Raised when the Temporal frontend cannot be reached; the message names the address and the fix. */
export class TemporalUnavailableError extends Error {
  constructor(
    readonly address: string,
    message: string,
  ) {
    super(message);
    this.name = 'TemporalUnavailableError';
  }
}

/** Returns the gRPC status code of `error` or of an error in its cause chain. */
function grpcCode(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (isGrpcServiceError(current)) return current.code;
    current = current.cause;
  }
  return undefined;
}

/**
 * Converts a transport failure of a Temporal call into a TemporalUnavailableError
 * that names the address and what to check. Returns any other error unchanged.
 */
export function explainTemporalFailure(
  error: unknown,
  address: string,
  taskQueue: string,
): unknown {
  const code = grpcCode(error);
  if (code === unavailableCode) {
    return new TemporalUnavailableError(
      address,
      `Temporal is unreachable at ${address}: start the Temporal server or set ` +
        'TEMPORAL_ADDRESS to the address of a running one',
    );
  }
  if (code === deadlineExceededCode) {
    return new TemporalUnavailableError(
      address,
      `Temporal at ${address} did not answer in time: check that a Temporal server runs at ` +
        'TEMPORAL_ADDRESS and that a worker (uptake serve or uptake worker) polls task queue ' +
        `"${taskQueue}"`,
    );
  }
  return error;
}
