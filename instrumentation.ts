// Next calls register() once when a server starts. It starts the job worker in the server's own
// process (JOBS_IN_PROCESS, the default): with embedded PGlite it must live here, as only one process
// may open the data folder; on PostgreSQL it may run instead as `npm run jobs -- --worker`. Without
// the in-process worker the server still starts a sender, so commits nudge the relay at once.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env, insideNextBuild } = await import("@/lib/env");
  if (insideNextBuild()) return;
  const { logger } = await import("@/lib/logger");
  try {
    if (env().JOBS_IN_PROCESS) {
      const { startWorker } = await import("@/lib/jobs/worker");
      await startWorker();
      logger.info("job worker started in the server process");
    } else {
      const { startJobQueue } = await import("@/lib/jobs/queue");
      await startJobQueue({ worker: false });
    }
  } catch (error) {
    // The site keeps serving; events wait in the outbox until a worker runs.
    logger.error("job worker did not start", { error });
  }
}
