import path from 'node:path';
import { buildTeamsPackage } from './build-package';
import { PackagingError } from './packaging-error';

// npm run package:teams: writes manifest/teams/build/accessbot.zip for sideloading.
buildTeamsPackage({ outDir: path.join(__dirname, 'build'), env: process.env }).then(
  ({ zipPath, manifest, warnings }) => {
    for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
    process.stdout.write(
      `wrote ${path.relative(process.cwd(), zipPath)} (app ${manifest.id}, version ${manifest.version})\n`,
    );
  },
  (err: unknown) => {
    const message =
      err instanceof PackagingError ? err.message : err instanceof Error ? err.stack : String(err);
    process.stderr.write(`package:teams failed: ${message}\n`);
    process.exit(1);
  },
);
