import { stringify } from "csv-stringify/sync";

/**
 * A CSV download as a byte stream that pulls one batch at a time: the next batch is read only when
 * the client has taken the previous one (at most one chunk queued ahead), so a large export never
 * sits in memory and a slow client slows the reads. An error after the header erroring the stream
 * makes the download fail rather than look complete.
 */
export function csvStream<T>(
  header: readonly string[],
  batches: AsyncGenerator<T[]>,
  toRecords: (batch: T[]) => string[][],
  onError: (error: unknown) => void = () => {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(stringify([header as string[]])));
      },
      async pull(controller) {
        try {
          const next = await batches.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(stringify(toRecords(next.value))));
        } catch (error) {
          onError(error);
          controller.error(error);
        }
      },
      async cancel() {
        await batches.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
