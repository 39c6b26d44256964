import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SandboxState } from './sandbox-state';

const saveDelayMs = 50;

/** Holds the live state; with a persist file, writes it (debounced, atomically) after every change. */
export class StateHolder {
  private timer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    public state: SandboxState,
    private readonly persistFile: string | undefined,
  ) {}

  static async load(persistFile: string | undefined): Promise<SandboxState | undefined> {
    if (!persistFile) return undefined;
    try {
      return JSON.parse(await readFile(persistFile, 'utf8')) as SandboxState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  changed(): void {
    if (!this.persistFile || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, saveDelayMs);
  }

  /** Writes pending changes now. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.save();
  }

  /** A copy to roll back to; calling the result restores it. */
  snapshot<Key extends 'dataverse' | 'finance'>(key: Key): () => void {
    const copy = structuredClone(this.state[key]);
    return () => {
      this.state[key] = copy;
      this.changed();
    };
  }

  private save(): Promise<void> {
    const file = this.persistFile;
    if (!file) return Promise.resolve();
    this.saving = this.saving.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(this.state));
      await rename(temporary, file);
    });
    return this.saving;
  }
}
