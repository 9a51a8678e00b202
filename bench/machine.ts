import os from 'node:os';

export interface MachineFacts {
  cpuModel: string;
  /** Logical CPUs this process may use (os.availableParallelism). */
  cpus: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  /** Embedded (durable or without fsync) or the DATABASE_URL server. */
  postgresServer: string;
}

/** Collects the facts about the machine that the figures depend on. The PostgreSQL facts come from the running server. */
export function describeMachine(postgresVersion: string, postgresServer: string): MachineFacts {
  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown';
  return {
    cpuModel,
    cpus: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: postgresVersion,
    postgresServer,
  };
}
