import { describe, expect, it } from 'vitest';

import { ConfigError, DEFAULT_EMBEDDED_PORT, loadConfig, redactConnectionString } from '../../src/platform/config.js';

const cwd = '/srv/o2c';

describe('loadConfig', () => {
  it('uses defaults for an empty environment', () => {
    expect(loadConfig({}, {}, cwd)).toEqual({
      databaseUrl: undefined,
      dataDir: '/srv/o2c/data',
      embeddedPort: DEFAULT_EMBEDDED_PORT,
      httpPort: 3000,
      httpHost: '127.0.0.1',
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgresql://app:pw@db.internal:5432/o2c',
        O2C_DATA_DIR: '/var/lib/o2c',
        O2C_PG_PORT: '6543',
        O2C_HTTP_PORT: '8080',
        O2C_HTTP_HOST: '0.0.0.0',
        LOG_LEVEL: 'debug',
      },
      {},
      cwd,
    );

    expect(config).toEqual({
      databaseUrl: 'postgresql://app:pw@db.internal:5432/o2c',
      dataDir: '/var/lib/o2c',
      embeddedPort: 6543,
      httpPort: 8080,
      httpHost: '0.0.0.0',
      logLevel: 'debug',
    });
  });

  it('resolves a relative data folder against cwd', () => {
    expect(loadConfig({ O2C_DATA_DIR: 'state/db' }, {}, cwd).dataDir).toBe('/srv/o2c/state/db');
  });

  it('lets --data override O2C_DATA_DIR', () => {
    expect(loadConfig({ O2C_DATA_DIR: '/var/lib/o2c' }, { dataDir: '/tmp/o2c-data' }, cwd).dataDir).toBe('/tmp/o2c-data');
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ DATABASE_URL: '', O2C_HTTP_PORT: '', LOG_LEVEL: '' }, {}, cwd);

    expect(config.databaseUrl).toBeUndefined();
    expect(config.httpPort).toBe(3000);
    expect(config.logLevel).toBe('info');
  });

  it('accepts HTTP port 0', () => {
    expect(loadConfig({ O2C_HTTP_PORT: '0' }, {}, cwd).httpPort).toBe(0);
  });

  it.each([
    ['O2C_HTTP_PORT', 'abc', 'Invalid O2C_HTTP_PORT "abc": expected a whole number from 0 to 65535.'],
    ['O2C_HTTP_PORT', '65536', 'Invalid O2C_HTTP_PORT "65536": expected a whole number from 0 to 65535.'],
    ['O2C_HTTP_PORT', '80.5', 'Invalid O2C_HTTP_PORT "80.5": expected a whole number from 0 to 65535.'],
    ['O2C_HTTP_PORT', '-1', 'Invalid O2C_HTTP_PORT "-1": expected a whole number from 0 to 65535.'],
    ['O2C_PG_PORT', '0', 'Invalid O2C_PG_PORT "0": expected a whole number from 1 to 65535.'],
    ['LOG_LEVEL', 'verbose', 'Invalid LOG_LEVEL "verbose": expected one of fatal, error, warn, info, debug, trace, silent.'],
  ])('rejects %s=%s', (variable, value, message) => {
    const load = () => loadConfig({ [variable]: value }, {}, cwd);

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it('rejects a DATABASE_URL that is not a URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'localhost:5432' }, {}, cwd)).toThrow(/Invalid DATABASE_URL .*scheme must be postgres:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' }, {}, cwd)).toThrow(/Invalid DATABASE_URL .*it is not a URL/);
  });

  it('keeps the password out of DATABASE_URL errors', () => {
    const load = () => loadConfig({ DATABASE_URL: 'mysql://app:hunter2@db:3306/o2c' }, {}, cwd);

    expect(load).toThrow('mysql://app:***@db:3306/o2c');
    expect(load).not.toThrow(/hunter2/);
  });

  it('rejects an empty --data', () => {
    const load = () => loadConfig({}, { dataDir: ' ' }, cwd);

    expect(load).toThrow('Invalid --data: the folder name is empty.');
    try {
      load();
    } catch (error) {
      expect((error as ConfigError).variable).toBe('--data');
    }
  });
});

describe('redactConnectionString', () => {
  it('masks the password', () => {
    expect(redactConnectionString('postgres://root:s3cret@127.0.0.1:5432/test')).toBe('postgres://root:***@127.0.0.1:5432/test');
  });

  it('keeps a string without password', () => {
    expect(redactConnectionString('postgres://root@127.0.0.1:5432/test')).toBe('postgres://root@127.0.0.1:5432/test');
  });

  it('hides a string that is not a URL', () => {
    expect(redactConnectionString('host=db password=secret')).not.toContain('secret');
  });
});
