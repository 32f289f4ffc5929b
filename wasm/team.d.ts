// Declarations for data-parallel training (wasm/team.js, wasm/team-node.js; docs/parallel.md).
import type { Session, Spec, StepMetrics, TypedData } from './dlplay.js';

/** A Web Worker, or a worker_threads Worker / parentPort. */
export type HelperPort =
  | {
      postMessage(message: unknown, transfer?: Transferable[]): void;
      addEventListener(type: string, f: (e: MessageEvent) => void): void;
      terminate?(): void;
    }
  | {
      postMessage(message: unknown, transfer?: unknown[]): void;
      on(type: string, f: (data: any) => void): unknown;
      terminate?(): unknown;
    };

export interface TeamOptions {
  /** Workers computing parts, this thread included (1–64; 1: this thread alone). */
  workers?: number;
  /** The spec and data the session was built from: each helper builds its replica from them. */
  spec: Spec;
  data?: TypedData;
  /** A new helper worker running serveTeam() (spawnNodeHelper in Node). */
  spawn?: () => HelperPort | Promise<HelperPort>;
  /** Where helpers load the engine from (as loadEngine's options). */
  moduleUrl?: string | URL;
  wasmUrl?: string | URL;
}

export declare class Team {
  private constructor();
  readonly workers: number;
  /** Parts computed by the helpers so far (the rest by this thread). */
  readonly helperParts: number;
  /** One step; the same figures as session.train(1, {evaluate: false}). */
  step(): Promise<StepMetrics>;
  /** `steps` steps (stops early on divergence); the last one's figures. */
  train(steps?: number): Promise<StepMetrics>;
  close(): void;
}

/** Throws unless `workers` is a team's size: a whole number from 1 to 64. */
export function checkWorkers(workers: number): void;
export function createTeam(session: Session, options: TeamOptions): Promise<Team>;
/** The helper side: serves a team's steps on this worker's port. */
export function serveTeam(port: HelperPort): void;
/** Node: a worker_threads helper running serveTeam(). */
export function spawnNodeHelper(): HelperPort;
