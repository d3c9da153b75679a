/**
 * Summarises a V8 CPU profile (`.cpuprofile`, written by `node --cpu-prof`): self time per function and
 * per place (a package in node_modules, a file of the gateway, Node's internals, GC, idle), largest first.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One line of the summary. */
export interface SelfTime {
  readonly name: string;
  readonly selfMs: number;
  /** Share of the busy (non-idle) time, 0..1. */
  readonly share: number;
}

/** A profile's summary. */
export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  readonly idleMs: number;
  readonly topFunctions: readonly SelfTime[];
  /**
   * Self time by place, with the time of Node's internals and native code given to the nearest caller
   * in a package or in the gateway (what asked for that work); GC and VM states stay on their own.
   */
  readonly topPlaces: readonly SelfTime[];
}

/**
 * The newest main-thread `.cpuprofile` in `dir`, or undefined. Node names a profile
 * `CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile`; worker threads (the SQLite store's
 * checkpoint worker) write their own, with a thread id other than 0.
 */
export function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((name) => /\.0\.\d+\.cpuprofile$/.test(name))
    .sort();
  const last = files.at(-1);
  return last === undefined ? undefined : path.join(dir, last);
}

const NODE_INTERNALS = 'node internals';
const NATIVE = '(native)';

/** Where a function lives, for grouping: a package, a file of ours, Node's internals or a VM state. */
function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : NATIVE;
  if (url.startsWith('node:')) return NODE_INTERNALS;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  const dist = url.indexOf('/dist/');
  return dist >= 0 ? url.slice(dist + 1) : url;
}

/** Reads and summarises one profile, keeping the `top` largest entries of each list. */
export function summariseProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const attributedPlace = (nodeId: number): string => {
    const own = byId.get(nodeId);
    if (own === undefined) return NATIVE;
    const ownPlace = placeOf(own.callFrame.url, own.callFrame.functionName);
    if (ownPlace !== NODE_INTERNALS && ownPlace !== NATIVE) return ownPlace;
    for (let id = parentOf.get(nodeId); id !== undefined; id = parentOf.get(id)) {
      const node = byId.get(id);
      if (node === undefined) break;
      const place = placeOf(node.callFrame.url, node.callFrame.functionName);
      if (place !== NODE_INTERNALS && place !== NATIVE && !place.startsWith('('))
        return `${place} (via Node)`;
    }
    return ownPlace;
  };
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i: it belongs to what ran at sample i - 1.
  for (let i = 1; i < profile.samples.length; i += 1) {
    const nodeId = profile.samples[i - 1];
    if (nodeId === undefined) continue;
    selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [nodeId, us] of selfUs) {
    const node = byId.get(nodeId);
    if (node === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const place = placeOf(url, functionName);
    const name = `${functionName || '(anonymous)'} ${url === '' ? '' : `${place}:${lineNumber + 1}`}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
    const attributed = attributedPlace(nodeId);
    places.set(attributed, (places.get(attributed) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const ranked = (map: Map<string, number>): SelfTime[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return {
    file,
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    topFunctions: ranked(functions),
    topPlaces: ranked(places),
  };
}
