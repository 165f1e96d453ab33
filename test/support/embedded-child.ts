// Holds an embedded PostgreSQL in a Node process of its own, as the app does, so that a test can
// kill that process with SIGKILL. Prints `{"url": …}` once ready; stops the server when stdin ends.
import { startEmbeddedPostgres } from '../../db/embedded-postgres';

async function main() {
  const [dir, port] = process.argv.slice(2);
  const db = await startEmbeddedPostgres({
    dir,
    port: Number(port),
    log: (message) => process.stderr.write(`${message}\n`),
  });
  process.stdout.write(`${JSON.stringify({ url: db.url })}\n`);
  process.stdin.on('end', () => {
    db.stop().then(() => process.exit(0));
  });
  process.stdin.resume();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
