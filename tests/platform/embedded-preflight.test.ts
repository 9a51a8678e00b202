import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  describeClosedFolder,
  findClosedFolder,
  listFolderChain,
  prepareDataFolder,
  statFolders,
  type FolderAccess,
} from '../../src/platform/embedded-preflight.js';

const serviceUser = { uid: 101, gid: 104 };

function folder(folderPath: string, mode: number, uid = 0, gid = 0): FolderAccess {
  return { path: folderPath, mode: 0o040000 | mode, uid, gid };
}

describe('listFolderChain', () => {
  it('lists the root down to the folder', () => {
    expect(listFolderChain('/root/o2c/data')).toEqual(['/', '/root', '/root/o2c', '/root/o2c/data']);
  });

  it('lists only the root for the root', () => {
    expect(listFolderChain('/')).toEqual(['/']);
  });

  it('resolves relative paths and dot segments', () => {
    expect(listFolderChain('/srv/o2c/../o2c/./data')).toEqual(['/', '/srv', '/srv/o2c', '/srv/o2c/data']);
  });
});

describe('findClosedFolder', () => {
  it('finds a root-owned folder without others-execute', () => {
    const chain = [folder('/', 0o755), folder('/root', 0o700), folder('/root/o2c', 0o755)];

    expect(findClosedFolder(chain, serviceUser)?.path).toBe('/root');
  });

  it('returns the first closed folder from the top', () => {
    const chain = [folder('/', 0o755), folder('/home', 0o750), folder('/home/dev', 0o700)];

    expect(findClosedFolder(chain, serviceUser)?.path).toBe('/home');
  });

  it('accepts an open chain', () => {
    const chain = [folder('/', 0o755), folder('/tmp', 0o1777), folder('/tmp/o2c', 0o711)];

    expect(findClosedFolder(chain, serviceUser)).toBeUndefined();
  });

  it('uses the owner bits for the owner', () => {
    expect(findClosedFolder([folder('/data', 0o700, serviceUser.uid)], serviceUser)).toBeUndefined();
    expect(findClosedFolder([folder('/data', 0o077, serviceUser.uid)], serviceUser)?.path).toBe('/data');
  });

  it('uses the group bits for the group', () => {
    expect(findClosedFolder([folder('/data', 0o710, 0, serviceUser.gid)], serviceUser)).toBeUndefined();
    expect(findClosedFolder([folder('/data', 0o701, 0, serviceUser.gid)], serviceUser)?.path).toBe('/data');
  });

  it('needs execute, not read', () => {
    expect(findClosedFolder([folder('/data', 0o704)], serviceUser)?.path).toBe('/data');
    expect(findClosedFolder([folder('/data', 0o701)], serviceUser)).toBeUndefined();
  });
});

describe('describeClosedFolder', () => {
  it('names the folder, its mode and the fixes', () => {
    const message = describeClosedFolder(folder('/root', 0o700), 'the data folder /root/o2c/data', 'or use --data DIR.');

    expect(message).toContain('cannot enter /root (mode 700)');
    expect(message).toContain('which contains the data folder /root/o2c/data');
    expect(message).toContain('does not run as root');
    expect(message).toContain('chmod o+x /root');
    expect(message).toContain('or use --data DIR.');
  });
});

describe('prepareDataFolder', () => {
  let scratch: string;

  beforeEach(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'o2c-preflight-'));
  });

  afterEach(async () => {
    await chmod(scratch, 0o755).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  });

  it('rejects a closed folder above the data folder', async () => {
    const closed = path.join(scratch, 'closed');
    await mkdir(closed, { mode: 0o700 });
    await chmod(closed, 0o700);
    await chmod(scratch, 0o755);
    const dataDir = path.join(closed, 'checkout', 'data');
    // A uid that owns nothing here, so only the others bits count, as for the service user under root.
    const stranger = { uid: 2_000_000_001, gid: 2_000_000_001 };

    const preparing = prepareDataFolder(dataDir, stranger);

    await expect(preparing).rejects.toThrow(`cannot enter ${closed} (mode 700), which contains the data folder ${dataDir}`);
    await expect(preparing).rejects.toThrow('--data DIR or O2C_DATA_DIR');
    await expect(preparing).rejects.toThrow(`chmod o+x ${closed}`);
    await expect(stat(path.join(closed, 'checkout'))).rejects.toThrow(/ENOENT/);
  });

  it('creates the data folder without a service user', async () => {
    const dataDir = path.join(scratch, 'a', 'b', 'data');

    await prepareDataFolder(dataDir, undefined);

    expect((await stat(dataDir)).isDirectory()).toBe(true);
  });

  it('reads real folder modes', async () => {
    await chmod(scratch, 0o710);

    const [access] = await statFolders([scratch, path.join(scratch, 'missing')]);

    expect(access?.path).toBe(scratch);
    expect((access?.mode ?? 0) & 0o777).toBe(0o710);
  });
});
