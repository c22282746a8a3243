import { readFileSync } from 'node:fs';

export interface RpcCallSeen {
  method: string;
  params: Record<string, unknown>;
}

/** The request frames a fake gateway got, from its `--rpc-log FILE` (none yet: empty). */
export function readRpcLog(file: string): RpcCallSeen[] {
  try {
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as RpcCallSeen);
  } catch {
    return [];
  }
}
